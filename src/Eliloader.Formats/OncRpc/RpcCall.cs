namespace Eliloader.Formats.OncRpc;

/// <summary>A CALL message (RFC 5531 section 9), ready to send over TCP as one record.</summary>
public static class RpcCall
{
    public const uint RpcVersion = 2;
    private const uint CallType = 0;
    private const uint AuthNone = 0;

    /// <summary>
    /// The whole record: the record marking header, then xid, CALL, RPC version 2,
    /// program, version, procedure, the credential, an AUTH_NONE verifier and the
    /// arguments already in XDR.
    /// </summary>
    public static byte[] Record(uint xid, RpcProgram program, uint procedure, AuthSys credential, ReadOnlySpan<byte> arguments)
    {
        var message = new XdrWriter()
            .UInt32(0) // room for the record marking header
            .UInt32(xid).UInt32(CallType).UInt32(RpcVersion)
            .UInt32(program.Number).UInt32(program.Version).UInt32(procedure);
        credential.Write(message);
        message.UInt32(AuthNone).UInt32(0).FixedOpaque(arguments);
        var record = message.ToArray();
        RecordMarking.WriteHeader(record, record.Length - RecordMarking.HeaderLength);
        return record;
    }
}
