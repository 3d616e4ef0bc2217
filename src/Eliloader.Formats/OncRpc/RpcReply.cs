using System.Buffers.Binary;

namespace Eliloader.Formats.OncRpc;

/// <summary>Why a server did not run a call (RFC 5531: accept_stat other than SUCCESS, or a rejected reply).</summary>
public enum RpcFailure
{
    ProgramUnavailable,
    ProgramMismatch,
    ProcedureUnavailable,
    GarbageArguments,
    SystemError,
    RpcMismatch,
    AuthError,
}

/// <summary>A reply that says the call was not run, and why, in the server's words.</summary>
public sealed class RpcFailureException(RpcFailure failure, string message) : Exception(message)
{
    public RpcFailure Failure { get; } = failure;
}

/// <summary>
/// A REPLY message (RFC 5531 section 9). Parsing checks everything up to the procedure's
/// results and leaves <see cref="Results"/> positioned on them; a reply that says the
/// call was not run is <see cref="RpcFailureException"/>, a malformed one
/// <see cref="InvalidDataException"/>.
/// </summary>
public sealed class RpcReply
{
    public const int MaxVerifier = 400;
    private const uint ReplyType = 1;

    private RpcReply(uint xid, XdrReader results) => (Xid, Results) = (xid, results);

    public uint Xid { get; }

    public XdrReader Results { get; }

    /// <summary>The transaction id a record starts with, to match it to its call before parsing.</summary>
    public static uint XidOf(ReadOnlySpan<byte> record) =>
        record.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(record) : throw new InvalidDataException($"RPC reply of {record.Length} bytes, too short for a transaction id");

    public static RpcReply Parse(ReadOnlyMemory<byte> record, RpcProgram program)
    {
        var reader = new XdrReader(record);
        var xid = reader.UInt32("the transaction id");
        var type = reader.UInt32("the message type");
        if (type != ReplyType)
            throw new InvalidDataException($"RPC message of type {type} where a reply (1) was expected");
        switch (reader.UInt32("the reply status"))
        {
            case 0:
                reader.UInt32("the verifier's flavor");
                reader.Opaque(MaxVerifier, "the verifier");
                Accepted(reader.UInt32("the accept status"), reader, program);
                return new RpcReply(xid, reader);
            case 1:
                throw Rejected(reader.UInt32("the reject status"), reader, program);
            case var other:
                throw new InvalidDataException($"RPC reply status {other}, neither accepted (0) nor denied (1)");
        }
    }

    private static void Accepted(uint status, XdrReader reader, RpcProgram program)
    {
        switch (status)
        {
            case 0:
                return;
            case 1:
                throw new RpcFailureException(RpcFailure.ProgramUnavailable, $"the server does not offer {program.Name} (program {program.Number})");
            case 2:
                var (low, high) = (reader.UInt32("the lowest version"), reader.UInt32("the highest version"));
                throw new RpcFailureException(RpcFailure.ProgramMismatch, $"the server offers {program.Name} versions {low} to {high}, not {program.Version}");
            case 3:
                throw new RpcFailureException(RpcFailure.ProcedureUnavailable, $"the server does not offer this procedure of {program}");
            case 4:
                throw new RpcFailureException(RpcFailure.GarbageArguments, $"the server could not decode the arguments of a {program} call");
            case 5:
                throw new RpcFailureException(RpcFailure.SystemError, $"the server failed a {program} call (system error)");
            default:
                throw new InvalidDataException($"RPC accept status {status} is none of 0 to 5");
        }
    }

    private static Exception Rejected(uint status, XdrReader reader, RpcProgram program) => status switch
    {
        0 => new RpcFailureException(RpcFailure.RpcMismatch,
            $"the server speaks RPC versions {reader.UInt32("the lowest RPC version")} to {reader.UInt32("the highest RPC version")}, not {RpcCall.RpcVersion}"),
        1 => new RpcFailureException(RpcFailure.AuthError, $"the server refused the credential of a {program} call ({AuthStatus(reader.UInt32("the auth status"))})"),
        _ => new InvalidDataException($"RPC reject status {status} is neither RPC_MISMATCH (0) nor AUTH_ERROR (1)"),
    };

    private static string AuthStatus(uint status) => status switch
    {
        1 => "bad credential",
        2 => "credential rejected; the client must begin a new session",
        3 => "bad verifier",
        4 => "verifier expired or replayed",
        5 => "credential too weak",
        _ => $"auth status {status}",
    };
}
