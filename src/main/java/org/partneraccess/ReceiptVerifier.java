package org.partneraccess;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * Checks a receipt file offline: the signature with the published keys, then that the readable receipt is exactly
 * what was signed. A change is named by where it is ({@code identities[1].cutOffAt}), not only that there is one.
 * Runs without the application: {@code java -jar partner-access.jar verify-receipt FILE --keys KEYS}; it lives beside
 * the entry point, not in the receipt feature, because it must start without the application.
 */
public final class ReceiptVerifier {

    public static final String COMMAND = "verify-receipt";
    /** The JWS type of a receipt, so a receipt's signature is never mistaken for a token's. */
    public static final JOSEObjectType TYPE = new JOSEObjectType("partner-access-receipt+jws");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict; {@code problem} says what failed and where, null when the receipt holds. */
    public record Verdict(boolean valid, String problem) {

        static Verdict fails(String problem) {
            return new Verdict(false, problem);
        }
    }

    private ReceiptVerifier() {
    }

    /** The file as served by the API ({@code receipt} and {@code jws}) against a JWK set. */
    public static Verdict verify(String receiptFile, String jwkSet) {
        JsonNode file;
        try {
            file = JSON.readTree(receiptFile);
        } catch (IOException e) {
            return Verdict.fails("not JSON: " + e.getMessage());
        }
        if (file == null || !file.path("receipt").isObject() || !file.path("jws").isTextual()) {
            return Verdict.fails("not a receipt file: it needs a \"receipt\" object and a \"jws\" text");
        }
        JWSObject jws;
        JWKSet keys;
        try {
            jws = JWSObject.parse(file.get("jws").asText());
        } catch (ParseException e) {
            return Verdict.fails("the signature (jws) cannot be read: " + e.getMessage());
        }
        try {
            keys = JWKSet.parse(jwkSet);
        } catch (ParseException e) {
            return Verdict.fails("the keys are not a JWK set: " + e.getMessage());
        }
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())
                || !TYPE.equals(jws.getHeader().getType())) {
            return Verdict.fails("not a receipt signature: algorithm " + jws.getHeader().getAlgorithm() + ", type "
                    + jws.getHeader().getType());
        }
        JWK key = jws.getHeader().getKeyID() == null ? null : keys.getKeyByKeyId(jws.getHeader().getKeyID());
        if (!(key instanceof ECKey ecKey)) {
            return Verdict.fails("signed with key " + jws.getHeader().getKeyID() + ", which the keys do not hold");
        }
        try {
            if (!jws.verify(new ECDSAVerifier(ecKey.toECPublicKey()))) {
                return Verdict.fails("the signature does not match what it signs: the jws was changed");
            }
        } catch (JOSEException e) {
            return Verdict.fails("the signature cannot be checked: " + e.getMessage());
        }
        JsonNode signed;
        try {
            signed = JSON.readTree(jws.getPayload().toString());
        } catch (IOException e) {
            return Verdict.fails("the signed receipt is not JSON");
        }
        return firstDifference("", signed, file.get("receipt"))
                .map(where -> Verdict.fails("the receipt differs from what was signed at " + where))
                .orElse(new Verdict(true, null));
    }

    /** Where the readable receipt first departs from the signed one, with both values. */
    static Optional<String> firstDifference(String path, JsonNode signed, JsonNode shown) {
        if (signed.isObject() && shown.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            signed.fieldNames().forEachRemaining(names::add);
            shown.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String at = path.isEmpty() ? name : path + "." + name;
                if (!signed.has(name) || !shown.has(name)) {
                    return Optional.of(at + (signed.has(name) ? " (removed)" : " (added)"));
                }
                Optional<String> inner = firstDifference(at, signed.get(name), shown.get(name));
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        if (signed.isArray() && shown.isArray()) {
            Iterator<JsonNode> a = signed.elements();
            Iterator<JsonNode> b = shown.elements();
            for (int i = 0; a.hasNext() || b.hasNext(); i++) {
                if (!a.hasNext() || !b.hasNext()) {
                    return Optional.of(path + "[" + i + "]" + (a.hasNext() ? " (removed)" : " (added)"));
                }
                Optional<String> inner = firstDifference(path + "[" + i + "]", a.next(), b.next());
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        return signed.equals(shown) ? Optional.empty()
                : Optional.of(path + ": signed " + signed + ", shown " + shown);
    }

    /** {@code verify-receipt FILE --keys FILE|URL}; 0 when the receipt holds, 1 when not, 2 on wrong use. */
    public static int run(String[] args, PrintStream out) {
        if (args.length != 3 || !"--keys".equals(args[1])) {
            out.println("usage: java -jar partner-access.jar " + COMMAND + " RECEIPT.json --keys KEYS.json|https://…"
                    + "/api/receipts/keys");
            return 2;
        }
        try {
            String keys = args[2].startsWith("https://") || args[2].startsWith("http://") ? download(args[2])
                    : Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);
            Verdict verdict = verify(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), keys);
            out.println(verdict.valid() ? "receipt verified: the signature holds and the receipt is what was signed"
                    : "receipt NOT verified: " + verdict.problem());
            return verdict.valid() ? 0 : 1;
        } catch (IOException e) {
            out.println("cannot read: " + e.getMessage());
            return 2;
        }
    }

    private static String download(String url) throws IOException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
