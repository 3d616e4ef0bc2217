namespace Eliloader.Xen.XenApi;

/// <summary>The VM and VBD calls eliloader makes, typed.</summary>
public sealed class VmApi(XenApiSession session, string vmReference)
{
    public string Reference { get; } = vmReference;

    public static VmApi ByUuid(XenApiSession session, string uuid) =>
        new(session, session.CallString("VM.get_by_uuid", uuid));

    public IReadOnlyDictionary<string, string> GetOtherConfig() => StringMap("VM.get_other_config");

    public IReadOnlyDictionary<string, string> GetPlatform() => StringMap("VM.get_platform");

    public void AddToOtherConfig(string key, string value) => session.Call("VM.add_to_other_config", Reference, key, value);

    public void RemoveFromOtherConfig(string key) => session.Call("VM.remove_from_other_config", Reference, key);

    public void AddToPlatform(string key, string value) => session.Call("VM.add_to_platform", Reference, key, value);

    public void RemoveFromPlatform(string key) => session.Call("VM.remove_from_platform", Reference, key);

    public void SetPvBootloader(string value) => session.Call("VM.set_PV_bootloader", Reference, value);

    public void SetPvBootloaderArgs(string value) => session.Call("VM.set_PV_bootloader_args", Reference, value);

    public IReadOnlyList<string> GetVbds()
    {
        var value = session.Call("VM.get_VBDs", Reference);
        if (value is not List<object> items)
            throw new InvalidDataException($"XenAPI answered VM.get_VBDs with {XenApiSession.Kind(value)}, not an array");
        return items.Select(item => XenApiSession.AsString("VM.get_VBDs", item)).ToList();
    }

    public string GetVbdUserdevice(string vbd) => session.CallString("VBD.get_userdevice", vbd);

    public void SetVbdBootable(string vbd, bool bootable) => session.Call("VBD.set_bootable", vbd, bootable);

    private Dictionary<string, string> StringMap(string method)
    {
        var value = session.Call(method, Reference);
        if (value is not Dictionary<string, object> members)
            throw new InvalidDataException($"XenAPI answered {method} with {XenApiSession.Kind(value)}, not a struct");
        return members.ToDictionary(m => m.Key, m => XenApiSession.AsString(method, m.Value), StringComparer.Ordinal);
    }
}
