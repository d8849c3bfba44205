package org.partneraccess.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo users' authenticator: time-based one-time codes (RFC 6238, HMAC-SHA1, 6 digits, 30 s) from the secret the
 * development realm gives every demo user. Keycloak takes a code once per user, so a user's next code comes from a
 * later time step, waiting for it if need be, as a person would.
 */
public final class Otp {

    /** The raw secret of the demo users' OTP credential (in an authenticator app: its Base32 form, see the README). */
    public static final String DEMO_SECRET = "partner-access-demo-otp";
    private static final long PERIOD_SECONDS = 30;
    private static final Map<String, Long> LAST_STEP = new ConcurrentHashMap<>();

    private Otp() {
    }

    /** A code for this demo user that Keycloak has not seen yet. */
    public static String code(String username) {
        long step = LAST_STEP.compute(username, (user, last) -> {
            long now = System.currentTimeMillis() / 1000 / PERIOD_SECONDS;
            return last == null || now > last ? now : last + 1;
        });
        long waitMillis = step * PERIOD_SECONDS * 1000 - System.currentTimeMillis();
        if (waitMillis > 0) {
            sleep(Duration.ofMillis(waitMillis + 50));
        }
        return totp(step);
    }

    static String totp(long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(DEMO_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
