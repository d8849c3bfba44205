package org.partneraccess.support;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A staff member getting a token for a script as the README tells them: the public client {@code partner-access-cli},
 * authorization code with PKCE to a local redirect, the staff realm's login pages filled in as a person would (password,
 * then the one-time code when a second factor is asked for). A user's sign-in session is kept, as a browser keeps it,
 * so a second factor once given counts for their later tokens while the realm says it is fresh.
 */
public final class StaffSignIn {

    public static final String CLI_CLIENT = "partner-access-cli";
    /** The authentication context the application asks for before an approval, an incident or a deployment. */
    public static final String SECOND_FACTOR = "mfa";
    private static final String PASSWORD_ONLY = "password";
    private static final String REDIRECT = "http://127.0.0.1:8765/callback";
    private static final Map<String, CookieSession> SESSIONS = new ConcurrentHashMap<>();

    private StaffSignIn() {
    }

    /**
     * The staff realm's single sign-on cookies of the user's kept session, signed in with the second factor: a browser
     * that holds them is signed in at the realm, as the person's own browser would be after their first sign-in.
     */
    public static Map<String, String> realmCookies(String keycloakUrl, String username) {
        CookieSession session = session(keycloakUrl, username);
        synchronized (session) {
            if (session.cookie("KEYCLOAK_IDENTITY") == null) {
                signIn(session, keycloakUrl, username, SECOND_FACTOR, "openid");
            }
            return session.cookies("KEYCLOAK_");
        }
    }

    /** The user's tokens with the second factor ({@code acr} {@value #SECOND_FACTOR}). */
    public static JsonNode withSecondFactor(String keycloakUrl, String username) {
        CookieSession session = session(keycloakUrl, username);
        synchronized (session) {
            return signIn(session, keycloakUrl, username, SECOND_FACTOR, "openid");
        }
    }

    /**
     * The user's tokens from a fresh sign-in with the password alone ({@code acr} {@code password}): the client asks
     * for the second factor by default, so this one asks for less.
     */
    public static JsonNode withPasswordOnly(String keycloakUrl, String username) {
        return withPasswordOnly(keycloakUrl, username, "openid");
    }

    /** As {@link #withPasswordOnly(String, String)}, asking for these scopes. */
    public static JsonNode withPasswordOnly(String keycloakUrl, String username, String scope) {
        return signIn(new CookieSession(Map.of("Accept", "text/html")), keycloakUrl, username, PASSWORD_ONLY, scope);
    }

    /**
     * The device authorization grant (RFC 8628) a script on a machine without a browser uses: it shows a code, the person
     * confirms it in their browser, and the script polls for the tokens (Keycloak gives them no level of authentication).
     */
    public static JsonNode viaDevice(String keycloakUrl, String username) {
        CodeVerifier verifier = new CodeVerifier();
        JsonNode device = Tokens.request(keycloakUrl, "staff", Map.of("client_id", CLI_CLIENT, "scope", "openid",
                "code_challenge", challenge(verifier), "code_challenge_method", "S256"), "/auth/device");
        CookieSession browser = new CookieSession(Map.of("Accept", "text/html"));
        HttpResponse<String> page = browser.signIn(browser.get(device.path("verification_uri_complete").asText()),
                username, Tokens.DEMO_PASSWORD);
        if (page.body().contains("name=\"accept\"")) {
            page = browser.signIn(browser.submit(page, Map.of("accept", "Yes")), username, Tokens.DEMO_PASSWORD);
        }
        return Tokens.request(keycloakUrl, "staff", Map.of("grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "client_id", CLI_CLIENT,
                "device_code", device.path("device_code").asText(), "code_verifier", verifier.getValue()));
    }

    private static JsonNode signIn(CookieSession session, String keycloakUrl, String username, String acr,
                                   String scope) {
        CodeVerifier verifier = new CodeVerifier();
        UriComponentsBuilder authorization = UriComponentsBuilder.fromUriString(keycloakUrl)
                .path("/realms/staff/protocol/openid-connect/auth")
                .queryParam("client_id", CLI_CLIENT).queryParam("redirect_uri", REDIRECT)
                .queryParam("response_type", "code").queryParam("scope", scope)
                .queryParam("state", new State().getValue()).queryParam("code_challenge", challenge(verifier))
                .queryParam("code_challenge_method", "S256");
        authorization.queryParam("acr_values", acr);
        String code = code(session, session.get(authorization.encode().build().toUriString()), username);
        return Tokens.request(keycloakUrl, "staff", Map.of("grant_type", "authorization_code", "client_id", CLI_CLIENT,
                "code", code, "redirect_uri", REDIRECT, "code_verifier", verifier.getValue()));
    }

    /** Walks the login pages until Keycloak redirects to the local callback, and returns its code. */
    private static String code(CookieSession session, HttpResponse<String> response, String username) {
        for (int step = 0; step < 8; step++) {
            if (response.statusCode() / 100 == 3) {
                URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (location.toString().startsWith(REDIRECT)) {
                    String code = UriComponentsBuilder.fromUri(location).build().getQueryParams().getFirst("code");
                    if (code == null) {
                        throw new IllegalStateException(username + " was not signed in: " + location);
                    }
                    return code;
                }
                response = session.get(location.toString());
            } else if (response.body().contains("name=\"password\"")) {
                response = session.post(CookieSession.formAction(response.body()),
                        Map.of("username", username, "password", Tokens.DEMO_PASSWORD, "credentialId", ""));
            } else if (response.body().contains("name=\"otp\"")) {
                response = session.post(CookieSession.formAction(response.body()), Map.of("otp", Otp.code(username)));
            } else {
                throw new IllegalStateException(username + " cannot sign in: " + response.statusCode() + "\n"
                        + response.body());
            }
        }
        throw new IllegalStateException(username + "'s sign-in did not end: " + response.uri());
    }

    private static String challenge(CodeVerifier verifier) {
        return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
    }

    private static CookieSession session(String keycloakUrl, String username) {
        return SESSIONS.computeIfAbsent(keycloakUrl + " " + username,
                key -> new CookieSession(Map.of("Accept", "text/html")));
    }
}
