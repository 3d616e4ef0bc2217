using System.Text.Json;
using System.Text.Json.Serialization;

namespace XapiSimulator;

/// <summary>The simulated host: VMs, xenstore nodes and the faults to inject. Saved as JSON.</summary>
public sealed class SimulatorState
{
    [JsonPropertyName("vms")] public List<SimVm> Vms { get; set; } = [];
    [JsonPropertyName("xenstore")] public Dictionary<string, string> Xenstore { get; set; } = [];
    [JsonPropertyName("faults")] public List<Fault> Faults { get; set; } = [];

    /// <summary>Real XAPI writes strings as bare &lt;value&gt; text; set this to send &lt;string&gt; elements instead.</summary>
    [JsonPropertyName("string_tags")] public bool StringTags { get; set; }

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static SimulatorState Load(string path) =>
        JsonSerializer.Deserialize<SimulatorState>(File.ReadAllText(path), Json) ?? new SimulatorState();

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

public sealed class SimVm
{
    [JsonPropertyName("uuid")] public string Uuid { get; set; } = Guid.NewGuid().ToString();
    [JsonPropertyName("ref")] public string Ref { get; set; } = "OpaqueRef:" + Guid.NewGuid();
    [JsonPropertyName("name_label")] public string NameLabel { get; set; } = "";
    [JsonPropertyName("other_config")] public Dictionary<string, string> OtherConfig { get; set; } = [];
    [JsonPropertyName("platform")] public Dictionary<string, string> Platform { get; set; } = [];
    [JsonPropertyName("PV_bootloader")] public string PvBootloader { get; set; } = "eliloader";
    [JsonPropertyName("PV_bootloader_args")] public string PvBootloaderArgs { get; set; } = "";
    [JsonPropertyName("VBDs")] public List<SimVbd> Vbds { get; set; } = [];
}

public sealed class SimVbd
{
    [JsonPropertyName("ref")] public string Ref { get; set; } = "OpaqueRef:" + Guid.NewGuid();
    [JsonPropertyName("userdevice")] public string Userdevice { get; set; } = "0";
    [JsonPropertyName("bootable")] public bool Bootable { get; set; }
}

/// <summary>
/// Answers the next <see cref="Times"/> calls of <see cref="Method"/> with a Failure
/// carrying <see cref="Error"/>, or, with <see cref="Drop"/>, closes the connection unanswered,
/// or, with <see cref="Raw"/>, sends those bytes as the whole HTTP answer and closes it.
/// </summary>
public sealed class Fault
{
    [JsonPropertyName("method")] public string Method { get; set; } = "";
    [JsonPropertyName("error")] public List<string>? Error { get; set; }
    [JsonPropertyName("drop")] public bool Drop { get; set; }
    [JsonPropertyName("raw")] public string? Raw { get; set; }
    [JsonPropertyName("times")] public int Times { get; set; } = 1;
}

/// <summary>One XenAPI call as it arrived: the method and its parameters rendered as text.</summary>
public sealed record RecordedCall(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("params")] IReadOnlyList<string> Params);
