namespace Eliloader.Repositories.Nfs;

/// <summary>A server that did not answer a call within download-timeout: it is silent, not refusing.</summary>
public sealed class NfsTimeoutException(string message) : IOException(message);
