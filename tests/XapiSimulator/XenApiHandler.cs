namespace XapiSimulator;

/// <summary>A Failure reply: XAPI's ErrorDescription, code first.</summary>
public sealed class XenApiError(params string[] description) : Exception(string.Join(" ", description))
{
    public IReadOnlyList<string> Description { get; } = description;
}

/// <summary>The XenAPI calls eliloader makes (docs/protocol.md section 11), against the simulator's state.</summary>
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
        if (MapCall(method, p) is { } mapResult)
            return mapResult;
        switch (method)
        {
            case "session.logout":
                Arity(method, p, 1);
                sessions.Remove(session0);
                return "";
            case "VM.get_by_uuid":
                Arity(method, p, 2);
                return state.Vms.FirstOrDefault(v => v.Uuid == Text(p, 1))?.Ref ?? throw new XenApiError("UUID_INVALID", "VM", Text(p, 1));
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

    /// <summary>The VM's string maps, by the field name XenAPI uses in get_/add_to_/remove_from_ calls.</summary>
    private static readonly Dictionary<string, Func<SimVm, Dictionary<string, string>>> Maps = new()
    {
        ["other_config"] = vm => vm.OtherConfig,
        ["platform"] = vm => vm.Platform,
    };

    /// <summary>VM.get_F, VM.add_to_F and VM.remove_from_F for each map field F; null for any other call.</summary>
    private object? MapCall(string method, IReadOnlyList<object> p)
    {
        foreach (var (field, map) in Maps)
        {
            if (method == $"VM.get_{field}")
            {
                Arity(method, p, 2);
                return map(Vm(p));
            }
            if (method == $"VM.add_to_{field}")
            {
                Arity(method, p, 4);
                if (!map(Vm(p)).TryAdd(Text(p, 2), Text(p, 3)))
                    throw new XenApiError("MAP_DUPLICATE_KEY", "VM", field, Vm(p).Ref, Text(p, 2));
                return "";
            }
            if (method == $"VM.remove_from_{field}")
            {
                Arity(method, p, 3);
                map(Vm(p)).Remove(Text(p, 2));
                return "";
            }
        }
        return null;
    }

    private SimVm Vm(IReadOnlyList<object> p) =>
        state.Vms.FirstOrDefault(v => v.Ref == Text(p, 1)) ?? throw new XenApiError("HANDLE_INVALID", "VM", Text(p, 1));

    private SimVbd Vbd(IReadOnlyList<object> p) =>
        state.Vms.SelectMany(v => v.Vbds).FirstOrDefault(v => v.Ref == Text(p, 1)) ?? throw new XenApiError("HANDLE_INVALID", "VBD", Text(p, 1));

    private static string Text(IReadOnlyList<object> p, int index) =>
        p[index] as string ?? throw new XenApiError("FIELD_TYPE_ERROR", $"parameter {index}");

    private static void Arity(string method, IReadOnlyList<object> p, params int[] allowed)
    {
        if (!allowed.Contains(p.Count))
            throw new XenApiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method, allowed.Max().ToString(), p.Count.ToString());
    }
}
