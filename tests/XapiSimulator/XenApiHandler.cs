namespace XapiSimulator;

/// <summary>A Failure reply: XAPI's ErrorDescription, code first.</summary>
public sealed class XenApiError(params string[] description) : Exception(string.Join(" ", description))
{
    public IReadOnlyList<string> Description { get; } = description;
}

/// <summary>The XenAPI calls eliloader makes (protocol section 11), against the simulator's state.</summary>
public sealed class XenApiHandler(SimulatorState state)
{
    private readonly HashSet<string> sessions = [];

    /// <summary>Sessions logged in and not logged out.</summary>
    public int OpenSessions => sessions.Count;

    public object Handle(string method, IReadOnlyList<object> p)
    {
        if (method == "session.login_with_password")
        {
            Arity(method, p, 2, 4);
            var session = "OpaqueRef:" + Guid.NewGuid();
            sessions.Add(session);
            return session;
        }
        if (p.Count == 0 || p[0] is not string session0 || !sessions.Contains(session0))
            throw new XenApiError("SESSION_INVALID", p.Count > 0 ? p[0].ToString() ?? "" : "");
        switch (method)
        {
            case "session.logout":
                Arity(method, p, 1);
                sessions.Remove(session0);
                return "";
            case "VM.get_by_uuid":
                Arity(method, p, 2);
                return state.Vms.FirstOrDefault(v => v.Uuid == Text(p, 1))?.Ref ?? throw new XenApiError("UUID_INVALID", "VM", Text(p, 1));
            case "VM.get_other_config":
                Arity(method, p, 2);
                return Vm(p).OtherConfig;
            case "VM.add_to_other_config":
                Arity(method, p, 4);
                AddToMap(Vm(p), Vm(p).OtherConfig, "other_config", Text(p, 2), Text(p, 3));
                return "";
            case "VM.remove_from_other_config":
                Arity(method, p, 3);
                Vm(p).OtherConfig.Remove(Text(p, 2));
                return "";
            case "VM.get_platform":
                Arity(method, p, 2);
                return Vm(p).Platform;
            case "VM.add_to_platform":
                Arity(method, p, 4);
                AddToMap(Vm(p), Vm(p).Platform, "platform", Text(p, 2), Text(p, 3));
                return "";
            case "VM.remove_from_platform":
                Arity(method, p, 3);
                Vm(p).Platform.Remove(Text(p, 2));
                return "";
            case "VM.set_PV_bootloader":
                Arity(method, p, 3);
                Vm(p).PvBootloader = Text(p, 2);
                return "";
            case "VM.set_PV_bootloader_args":
                Arity(method, p, 3);
                Vm(p).PvBootloaderArgs = Text(p, 2);
                return "";
            case "VM.get_VBDs":
                Arity(method, p, 2);
                return Vm(p).Vbds.Select(v => (object)v.Ref).ToList();
            case "VBD.get_userdevice":
                Arity(method, p, 2);
                return Vbd(p).Userdevice;
            case "VBD.set_bootable":
                Arity(method, p, 3);
                Vbd(p).Bootable = p[2] is bool flag ? flag : throw new XenApiError("FIELD_TYPE_ERROR", "bootable");
                return "";
            default:
                throw new XenApiError("MESSAGE_METHOD_UNKNOWN", method);
        }
    }

    private SimVm Vm(IReadOnlyList<object> p) =>
        state.Vms.FirstOrDefault(v => v.Ref == Text(p, 1)) ?? throw new XenApiError("HANDLE_INVALID", "VM", Text(p, 1));

    private SimVbd Vbd(IReadOnlyList<object> p) =>
        state.Vms.SelectMany(v => v.Vbds).FirstOrDefault(v => v.Ref == Text(p, 1)) ?? throw new XenApiError("HANDLE_INVALID", "VBD", Text(p, 1));

    private static void AddToMap(SimVm vm, Dictionary<string, string> map, string field, string key, string value)
    {
        if (!map.TryAdd(key, value))
            throw new XenApiError("MAP_DUPLICATE_KEY", "VM", field, vm.Ref, key);
    }

    private static string Text(IReadOnlyList<object> p, int index) =>
        p[index] as string ?? throw new XenApiError("FIELD_TYPE_ERROR", $"parameter {index}");

    private static void Arity(string method, IReadOnlyList<object> p, params int[] allowed)
    {
        if (!allowed.Contains(p.Count))
            throw new XenApiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method, allowed.Max().ToString(), p.Count.ToString());
    }
}
