using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.BotFramework;

/// <summary>
/// Where the bot may send Connector requests. A <c>serviceUrl</c> comes from the caller, so without a check the bot could be
/// made to send requests into the network it sits in. Loopback, private, link-local (cloud metadata), unique-local and
/// unspecified addresses are refused unless <c>BotFramework:AllowPrivateServiceUrls</c>; in the Emulator mode without an
/// app id only loopback is allowed. The check runs on the address actually connected to (after DNS), so a public name
/// that resolves to a private address is refused too.
/// </summary>
public sealed class ServiceUrlGuard(IOptions<BotFrameworkOptions> options)
{
    /// <summary>True when a connection to <paramref name="address"/> is allowed.</summary>
    public bool Allows(IPAddress address)
    {
        var o = options.Value;
        if (!o.AuthenticationEnabled)
        {
            return IPAddress.IsLoopback(address); // the Emulator on this machine, nothing else
        }

        return o.AllowPrivateServiceUrls || !IsInternal(address);
    }

    /// <summary>
    /// A quick check of a serviceUrl before it is trusted: an absolute http(s) URL whose host, when it is an IP address or
    /// <c>localhost</c>, is allowed. Names are checked again when connecting.
    /// </summary>
    public bool AllowsUrl(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        if (uri.IsLoopback)
        {
            return Allows(IPAddress.Loopback);
        }

        return IPAddress.TryParse(uri.IdnHost, out var ip) ? Allows(ip) : options.Value.AuthenticationEnabled;
    }

    /// <summary>The connect step of the Connector's HTTP handler: resolves the name and connects only to allowed addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(Allows).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"The Connector service URL host '{endpoint.Host}' resolves only to addresses the bot may not call " +
                "(loopback, private or link-local; see BotFramework:AllowPrivateServiceUrls).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            10 => true,                               // 10.0.0.0/8
            172 => b[1] is >= 16 and <= 31,           // 172.16.0.0/12
            192 => b[1] == 168,                       // 192.168.0.0/16
            169 => b[1] == 254,                       // link-local, cloud metadata
            100 => b[1] is >= 64 and <= 127,          // carrier-grade NAT 100.64.0.0/10
            0 => true,                                // "this network"
            >= 224 => true,                           // multicast, reserved, broadcast
            _ => false,
        };
    }
}
