package org.partneraccess.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a registered JWKS URL may point. Keycloak fetches it whenever the machine authenticates, so a URL at an
 * internal address would let a partner make Keycloak call into our network (SSRF): loopback, private, link-local
 * (cloud metadata at 169.254.169.254), unique-local and shared addresses are refused, by literal or by what the host
 * name resolves to now, unless the host is on the configured allow-list. A name that does not resolve is left to
 * Keycloak, which cannot reach it either. The same holds for a partner's workload issuer, whose discovery document
 * and keys Keycloak fetches too.
 */
public final class JwksUrlCheck {

    /** Looks up a host's addresses; a seam for tests, {@link InetAddress#getAllByName} in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final String INTERNAL_ADDRESS =
            "must not point at a private, loopback, link-local or metadata address (allow-list: partner-access.machine.jwks-allowed-hosts)";
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean loopbackAllowed;
    private final Set<String> allowedHosts;
    private final Resolver resolver;

    public JwksUrlCheck(boolean loopbackAllowed, Collection<String> allowedHosts, Resolver resolver) {
        this.loopbackAllowed = loopbackAllowed;
        this.allowedHosts = allowedHosts.stream().map(JwksUrlCheck::normalized).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * A URL's verdict and the addresses its host was judged by. {@code addresses} is null when no lookup was needed (a
     * host on the allow-list, a loopback name with the development switch) and empty when the name did not resolve: a
     * caller that fetches the URL itself connects to these addresses only, so that a second lookup answered otherwise
     * (DNS rebinding) cannot lead it anywhere the check did not see.
     */
    public record Checked(Optional<String> problem, List<InetAddress> addresses) {

        static Checked refused(String problem) {
            return new Checked(Optional.of(problem), null);
        }
    }

    /** What is wrong with the URL, for the caller's error message; empty when Keycloak may fetch it. */
    public Optional<String> problem(String url) {
        return check(url).problem();
    }

    /** The verdict on the URL with the addresses it rests on. */
    public Checked check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Checked.refused("not a URL");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
            return Checked.refused("an absolute https URL without user name or fragment");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Checked.refused("the port must be between 1 and 65535");
        }
        String host = normalized(uri.getHost());
        boolean loopbackHost = loopbackAllowed && LOOPBACK_HOSTS.contains(host);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !("http".equalsIgnoreCase(uri.getScheme()) && loopbackHost)) {
            return Checked.refused("must be https" + (loopbackAllowed ? " (or http on the loopback interface)" : ""));
        }
        if (loopbackHost || allowedHosts.contains(host)) {
            return new Checked(Optional.empty(), null);
        }
        List<InetAddress> addresses = resolved(uri.getHost());
        return addresses.stream().anyMatch(JwksUrlCheck::isInternal)
                ? new Checked(Optional.of(INTERNAL_ADDRESS), addresses) : new Checked(Optional.empty(), addresses);
    }

    private List<InetAddress> resolved(String host) {
        try {
            return List.of(resolver.resolve(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /** Any address a partner's public JWKS cannot legitimately have. */
    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0                                        // "this network"
                    || first == 100 && (second & 0xc0) == 64         // 100.64/10 shared, e.g. 100.100.100.200 metadata
                    || first == 192 && second == 0 && bytes[2] == 0  // 192.0.0/24 protocol assignments
                    || first == 198 && (second & 0xfe) == 18         // 198.18/15 benchmarking
                    || first >= 240;                                 // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;                                         // fc00::/7 unique local, e.g. fd00:ec2::254 metadata
            }
            // 64:ff9b::/96 NAT64 carries an IPv4 address in its last four bytes
            byte[] nat64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
            if (Arrays.equals(Arrays.copyOf(bytes, 12), nat64)) {
                try {
                    return isInternal(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normalized(String host) {
        return host.trim().toLowerCase(Locale.ROOT);
    }
}
