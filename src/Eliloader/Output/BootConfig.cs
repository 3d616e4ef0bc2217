namespace Eliloader.Output;

/// <summary>What the toolstack builds the domain from: kernel and ramdisk files and the kernel args.</summary>
public sealed record BootConfig(string Kernel, string? Ramdisk, string Args);

/// <summary>Turns a boot configuration into the text one toolstack generation reads from stdout.</summary>
public interface IBootConfigWriter
{
    string Name { get; }

    /// <summary>The text for stdout; an <see cref="Errors.ApiError"/> when a value cannot be carried.</summary>
    string Write(BootConfig config);
}
