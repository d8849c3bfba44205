package org.partneraccess.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.partneraccess.ReceiptVerifier;
import org.springframework.mock.env.MockEnvironment;

/** A signed receipt verifies offline; any changed byte fails and says where. */
class ReceiptVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReceiptSigner signer = new ReceiptSigner("", devEnvironment());
    private final ReceiptSigner otherSigner = new ReceiptSigner("", devEnvironment());

    private static MockEnvironment devEnvironment() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles("dev");
        return environment;
    }

    private ObjectNode file(ReceiptSigner by) throws Exception {
        Map<String, Object> receipt = Map.of("type", "incident-cut-off", "partnership", "acme",
                "identities", List.of(Map.of("id", "i1", "cutOffAt", "2026-12-07T01:00:00Z", "proof", "disabled"),
                        Map.of("id", "i2", "cutOffAt", "2026-12-07T01:00:01Z", "proof", "disabled")));
        String payload = SignedReceipt.canonical(receipt);
        ObjectNode file = JSON.createObjectNode();
        file.set("receipt", JSON.readTree(payload));
        file.put("jws", by.sign(payload).orElseThrow());
        return file;
    }

    private String keys(ReceiptSigner of) throws Exception {
        return JSON.writeValueAsString(of.publicKeys());
    }

    @Test
    void aReceiptAsServedVerifies() throws Exception {
        assertThat(ReceiptVerifier.verify(file(signer).toString(), keys(signer))).isEqualTo(new ReceiptVerifier.Verdict(true, null));
    }

    @Test
    void aChangedValueIsNamedByWhereItIs() throws Exception {
        ObjectNode file = file(signer);
        ((ObjectNode) file.get("receipt").get("identities").get(1)).put("cutOffAt", "2026-12-07T02:00:00Z");

        ReceiptVerifier.Verdict verdict = ReceiptVerifier.verify(file.toString(), keys(signer));

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.problem()).contains("identities[1].cutOffAt").contains("2026-12-07T01:00:01Z")
                .contains("2026-12-07T02:00:00Z");
    }

    @Test
    void aRemovedIdentityAndAnAddedFieldAreNamed() throws Exception {
        ObjectNode file = file(signer);
        ((ArrayNode) file.get("receipt").get("identities")).remove(1);
        assertThat(ReceiptVerifier.verify(file.toString(), keys(signer)).problem()).contains("identities[1] (removed)");

        file = file(signer);
        ((ObjectNode) file.get("receipt")).put("note", "all fine");
        assertThat(ReceiptVerifier.verify(file.toString(), keys(signer)).problem()).contains("note (added)");
    }

    @Test
    void everySingleByteOfTheSignatureCounts() throws Exception {
        ObjectNode file = file(signer);
        String jws = file.get("jws").asText();
        String[] parts = jws.split("\\.");
        // the signed receipt changed: its payload, re-encoded with one identity's proof altered
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("disabled", "disabeld").getBytes(StandardCharsets.UTF_8));
        file.put("jws", parts[0] + "." + forgedPayload + "." + parts[2]);
        assertThat(ReceiptVerifier.verify(file.toString(), keys(signer)).problem()).contains("signature does not match");

        char last = parts[2].charAt(parts[2].length() - 2);
        file.put("jws", parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1));
        assertThat(ReceiptVerifier.verify(file.toString(), keys(signer)).valid()).isFalse();
    }

    @Test
    void aReceiptSignedWithAnotherKeyIsRefused() throws Exception {
        assertThat(ReceiptVerifier.verify(file(otherSigner).toString(), keys(signer)).problem())
                .contains("which the keys do not hold");
    }

    @Test
    void theCommandAnswersWithItsExitCode(@TempDir Path dir) throws Exception {
        Path receipt = Files.writeString(dir.resolve("receipt.json"), file(signer).toString());
        Path keys = Files.writeString(dir.resolve("keys.json"), keys(signer));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(ReceiptVerifier.run(new String[] {receipt.toString(), "--keys", keys.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("receipt verified");

        ObjectNode changed = file(signer);
        ((ObjectNode) changed.get("receipt")).put("partnership", "other");
        Files.writeString(receipt, changed.toString());
        out.reset();
        assertThat(ReceiptVerifier.run(new String[] {receipt.toString(), "--keys", keys.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NOT verified").contains("partnership");

        assertThat(ReceiptVerifier.run(new String[] {receipt.toString()}, new PrintStream(out))).isEqualTo(2);
    }

    @Test
    void withoutAKeyOutsideDevelopmentNothingIsSigned() {
        ReceiptSigner none = new ReceiptSigner("", new MockEnvironment());
        assertThat(none.sign("{}")).isEmpty();
        assertThat(none.publicKeys()).containsEntry("keys", List.of());
    }

    @Test
    void aConfiguredKeySignsAndAPublicOrMalformedOneStopsTheStart() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ops-2026").generate();
        ReceiptSigner configured = new ReceiptSigner(key.toJSONString(), new MockEnvironment());

        assertThat(JWSObject.parse(configured.sign("{}").orElseThrow()).getHeader().getKeyID()).isEqualTo("ops-2026");
        assertThat(JSON.writeValueAsString(configured.publicKeys())).doesNotContain("\"d\"");
        assertThatThrownBy(() -> new ReceiptSigner(key.toPublicJWK().toJSONString(), new MockEnvironment()))
                .hasMessageContaining("private EC P-256 JWK");
        assertThatThrownBy(() -> new ReceiptSigner("not a key", new MockEnvironment())).hasMessageContaining("not a JWK");
    }
}
