using Eliloader.Errors;
using Eliloader.Formats.Iso9660;

namespace Eliloader.Repositories;

/// <summary>
/// The install medium in the VM's CD drive (a dom0 block device or an .iso file),
/// read in process: nothing is mounted, and a damaged or hostile image is an
/// INVALID_SOURCE naming what is wrong with it.
/// </summary>
public sealed class IsoRepository : IRepository
{
    private readonly string image;
    private readonly FileStream stream;
    private readonly IsoImage iso;

    public IsoRepository(string image, Action<string> log)
    {
        this.image = image;
        if (image.Length == 0)
            throw new ApiError(ApiError.InvalidSource, "cdrom repo: the VM's CD drive is empty");
        try
        {
            stream = new FileStream(image, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiError(ApiError.InvalidSource, $"cdrom repo {image}: {e.Message}");
        }
        try
        {
            iso = IsoImage.Open(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            stream.Dispose();
            throw new ApiError(ApiError.InvalidSource, $"cdrom repo {image}: {e.Message}");
        }
        log($"opened {image} ({iso.NamingScheme} names)");
    }

    public string Describe(string path) => $"{image}:/{path}";

    public bool Exists(string path) => Find(path) is not null;

    public RemoteFile Open(string path)
    {
        var file = Find(path) ?? throw new SourceUnavailableException(Describe(path), "no such file on the medium");
        return new RemoteFile(Describe(path), file.Length, iso.OpenRead(file));
    }

    private IsoFile? Find(string path)
    {
        try
        {
            return iso.Find(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ApiError(ApiError.InvalidSource, $"cdrom repo {image}: {e.Message}");
        }
    }

    public void Dispose() => stream.Dispose();
}
