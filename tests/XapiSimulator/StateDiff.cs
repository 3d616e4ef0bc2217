namespace XapiSimulator;

/// <summary>What changed on each VM between two saved states, one line per field, as a person reads it.</summary>
public static class StateDiff
{
    public static IEnumerable<string> Describe(SimulatorState before, SimulatorState after)
    {
        foreach (var vm in after.Vms)
        {
            var old = before.Vms.FirstOrDefault(v => v.Uuid == vm.Uuid);
            if (old is null)
            {
                yield return $"VM {vm.Uuid}: new";
                continue;
            }
            var name = $"VM {vm.NameLabel} ({vm.Uuid})";
            if (old.PvBootloader != vm.PvBootloader)
                yield return $"{name} PV-bootloader: {old.PvBootloader} -> {vm.PvBootloader}";
            if (old.PvBootloaderArgs != vm.PvBootloaderArgs)
                yield return $"{name} PV-bootloader-args: '{old.PvBootloaderArgs}' -> '{vm.PvBootloaderArgs}'";
            foreach (var line in MapChanges(old.OtherConfig, vm.OtherConfig))
                yield return $"{name} other-config:{line}";
            foreach (var line in MapChanges(old.Platform, vm.Platform))
                yield return $"{name} platform:{line}";
            foreach (var vbd in vm.Vbds)
            {
                var oldVbd = old.Vbds.FirstOrDefault(v => v.Userdevice == vbd.Userdevice);
                if (oldVbd is not null && oldVbd.Bootable != vbd.Bootable)
                    yield return $"{name} VBD {vbd.Userdevice} bootable: {oldVbd.Bootable} -> {vbd.Bootable}";
            }
        }
    }

    private static IEnumerable<string> MapChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.TryGetValue(key, out var oldValue);
            var has = after.TryGetValue(key, out var newValue);
            if (had && !has)
                yield return $"{key} removed (was '{oldValue}')";
            else if (!had && has)
                yield return $"{key} added: '{newValue}'";
            else if (oldValue != newValue)
                yield return $"{key}: '{oldValue}' -> '{newValue}'";
        }
    }
}
