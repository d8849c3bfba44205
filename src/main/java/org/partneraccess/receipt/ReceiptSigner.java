package org.partneraccess.receipt;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.partneraccess.ReceiptVerifier;
import org.partneraccess.dev.DevServicesEnvironmentPostProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Signs receipts (JWS, ES256) with the key from configuration, never from the database or a process variable. The
 * development profile makes a key at start when none is set, so receipts of an earlier run verify only with the keys
 * that run published.
 */
@Component
public class ReceiptSigner {

    private static final Logger log = LoggerFactory.getLogger(ReceiptSigner.class);

    private final ECKey key;
    private final boolean madeAtStart;

    ReceiptSigner(@Value("${partner-access.receipt.signing-key:}") String configured, Environment environment) {
        boolean development = environment.acceptsProfiles(Profiles.of(DevServicesEnvironmentPostProcessor.DEV_PROFILE));
        this.key = !configured.isBlank() ? parse(configured) : development ? generated() : null;
        this.madeAtStart = configured.isBlank() && development;
        if (key == null) {
            log.warn("No receipt signing key is configured (RECEIPT_SIGNING_KEY): revocation receipts are refused");
        }
    }

    /** The compact JWS over the payload, empty when no key is configured. */
    Optional<String> sign(String payload) {
        if (key == null) {
            return Optional.empty();
        }
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(ReceiptVerifier.TYPE).keyID(key.getKeyID()).build(),
                    new Payload(payload));
            jws.sign(new ECDSASigner(key));
            return Optional.of(jws.serialize());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a receipt: " + e.getMessage(), e);
        }
    }

    /** Whether the key was made at this start (development), so what an earlier run signed does not verify with it. */
    boolean madeAtStart() {
        return madeAtStart;
    }

    /** The public keys receipts are verified with, as a JWK set; empty when no key is configured. */
    Map<String, Object> publicKeys() {
        return key == null ? new JWKSet().toJSONObject() : new JWKSet(key.toPublicJWK()).toJSONObject();
    }

    private static ECKey parse(String jwk) {
        try {
            ECKey parsed = ECKey.parse(jwk);
            if (!parsed.isPrivate() || !Curve.P_256.equals(parsed.getCurve()) || parsed.getKeyID() == null) {
                throw new IllegalStateException("RECEIPT_SIGNING_KEY must be a private EC P-256 JWK with a kid");
            }
            return parsed;
        } catch (ParseException e) {
            throw new IllegalStateException("RECEIPT_SIGNING_KEY is not a JWK: " + e.getMessage(), e);
        }
    }

    private static ECKey generated() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("dev-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
