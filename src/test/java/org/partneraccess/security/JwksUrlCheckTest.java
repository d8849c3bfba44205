package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** JWKS URLs Keycloak would fetch from inside our network are refused; host names are judged by what they resolve to. */
class JwksUrlCheckTest {

    /** Names resolve here, never through DNS; literal addresses are parsed as the JDK does. */
    private static final Map<String, List<String>> NAMES = Map.of(
            "localhost", List.of("127.0.0.1", "::1"),
            "jwks.partner.example", List.of("93.184.215.14"),
            "internal.partner.example", List.of("10.20.30.40"),
            "metadata.partner.example", List.of("169.254.169.254"),
            "split.partner.example", List.of("93.184.215.14", "192.168.0.7"),
            "v6.partner.example", List.of("2001:4860:4860::8888"));

    private final JwksUrlCheck check = new JwksUrlCheck(false, List.of(), JwksUrlCheckTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/jwks.json", "https://127.9.9.9/jwks.json", "https://10.0.0.8/jwks.json",
            "https://172.16.5.4/jwks.json", "https://192.168.1.20/jwks.json", "https://169.254.169.254/latest/meta-data/",
            "https://100.100.100.200/latest/meta-data/", "https://0.0.0.0/jwks.json", "https://[::1]/jwks.json",
            "https://[::]/jwks.json", "https://[fe80::1]/jwks.json", "https://[fd00:ec2::254]/latest/meta-data/",
            "https://[::ffff:10.0.0.1]/jwks.json", "https://[64:ff9b::a9fe:a9fe]/jwks.json", "https://localhost/jwks.json",
            "https://LOCALHOST:8443/jwks.json", "https://internal.partner.example/jwks.json",
            "https://metadata.partner.example/jwks.json", "https://split.partner.example/jwks.json"})
    void internalAddressesAreRefusedByLiteralOrByWhatTheNameResolvesTo(String url) {
        assertThat(check.problem(url)).contains(JwksUrlCheck.INTERNAL_ADDRESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://jwks.partner.example/.well-known/jwks.json", "https://v6.partner.example/jwks.json",
            "https://93.184.215.14/jwks.json", "https://[2001:4860:4860::8888]/jwks.json",
            "https://not-yet-in-dns.partner.example/jwks.json"})
    void publicAddressesAndNamesThatDoNotResolvePass(String url) {
        assertThat(check.problem(url)).isEmpty();
    }

    @Test
    void onlyHttpsAndNoUserInfoFragmentOrBadPort() {
        assertThat(check.problem("http://jwks.partner.example/jwks.json")).contains("must be https");
        assertThat(check.problem("http://localhost/jwks.json")).contains("must be https");
        assertThat(check.problem("https://user:pw@jwks.partner.example/jwks.json")).isPresent();
        assertThat(check.problem("https://jwks.partner.example/jwks.json#x")).isPresent();
        assertThat(check.problem("https://jwks.partner.example:99999/jwks.json")).isPresent();
        assertThat(check.problem("not a url")).contains("not a URL");
    }

    @Test
    void theAllowListAdmitsNamedHostsAndTheDevelopmentSwitchAdmitsLoopbackOnly() {
        JwksUrlCheck allowList = new JwksUrlCheck(false, List.of("Internal.Partner.Example", "10.0.0.8"),
                JwksUrlCheckTest::resolve);
        assertThat(allowList.problem("https://internal.partner.example/jwks.json")).isEmpty();
        assertThat(allowList.problem("https://10.0.0.8/jwks.json")).isEmpty();
        assertThat(allowList.problem("https://10.0.0.9/jwks.json")).contains(JwksUrlCheck.INTERNAL_ADDRESS);
        assertThat(allowList.problem("http://internal.partner.example/jwks.json")).contains("must be https");

        JwksUrlCheck development = new JwksUrlCheck(true, List.of(), JwksUrlCheckTest::resolve);
        assertThat(development.problem("http://localhost:8089/jwks.json")).isEmpty();
        assertThat(development.problem("https://[::1]/jwks.json")).isEmpty();
        assertThat(development.problem("https://169.254.169.254/latest/meta-data/")).contains(JwksUrlCheck.INTERNAL_ADDRESS);
        assertThat(development.problem("https://internal.partner.example/jwks.json")).contains(JwksUrlCheck.INTERNAL_ADDRESS);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.toLowerCase();
        if (name.startsWith("[") || Character.isDigit(name.charAt(0))) {
            return InetAddress.getAllByName(host);
        }
        List<String> addresses = NAMES.get(name);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByName(addresses.get(i));
        }
        return resolved;
    }
}
