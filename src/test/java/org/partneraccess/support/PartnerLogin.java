package org.partneraccess.support;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * A partner person at the partner realm's login page, as a browser would be: the account console's authorization
 * code flow, form posts and cookies. No password grant: partner people never get one.
 */
public final class PartnerLogin {

    public enum Outcome { SIGNED_IN, REFUSED }

    private static final String REALM = "partner";
    private static final String CLIENT = "account-console";
    private static final Pattern PROCEED_LINK = Pattern.compile("href=\"([^\"]*login-actions/action-token[^\"]*)\"");

    private final CookieSession session = new CookieSession(Map.of());
    private final String keycloakUrl;

    public PartnerLogin(String keycloakUrl) {
        this.keycloakUrl = keycloakUrl;
    }

    /**
     * What Keycloak's invitation has the person do (accept the terms, verify the address, set a password), done through
     * the admin API, for tests that need a person who can sign in but do not test the invitation.
     */
    public static void readyToSignIn(UserResource user, String password) {
        UserRepresentation representation = user.toRepresentation();
        representation.setRequiredActions(List.of());
        representation.setEmailVerified(true);
        user.update(representation);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        user.resetPassword(credential);
    }

    /** Signs in with a password; any page other than the way back to the application counts as refused. */
    public Outcome signIn(String username, String password) {
        return accessToken(username, password).isPresent() ? Outcome.SIGNED_IN : Outcome.REFUSED;
    }

    /** Signs in and takes the account console's access token, as the browser application would. */
    public java.util.Optional<String> accessToken(String username, String password) {
        return tokens(username, password).map(tokens -> tokens.access());
    }

    /** The account console's access and refresh token after a sign-in with a password; empty when refused. */
    public java.util.Optional<SignedIn> tokens(String username, String password) {
        CodeVerifier verifier = new CodeVerifier();
        String redirect = keycloakUrl + "/realms/" + REALM + "/account/";
        HttpResponse<String> page = session.get(keycloakUrl + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id="
                + CLIENT + "&response_type=code&scope=openid&state=s&redirect_uri=" + CookieSession.encode(redirect)
                + "&code_challenge_method=S256&code_challenge=" + CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        HttpResponse<String> answer = session.post(CookieSession.formAction(page.body()), Map.of("username", username, "password", password,
                "credentialId", ""));
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location(answer));
        if (answer.statusCode() != 302 || !location(answer).startsWith(redirect) || !code.find()) {
            return java.util.Optional.empty();
        }
        HttpResponse<String> tokens = session.post(keycloakUrl + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "authorization_code", "client_id", CLIENT, "code", code.group(1),
                        "redirect_uri", redirect, "code_verifier", verifier.getValue()));
        Matcher access = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
        Matcher refresh = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
        return access.find() && refresh.find()
                ? java.util.Optional.of(new SignedIn(access.group(1), refresh.group(1))) : java.util.Optional.empty();
    }

    /** A refresh grant with the account console's refresh token, as the browser application would make it. */
    public HttpResponse<String> refresh(String refreshToken) {
        return session.post(keycloakUrl + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "refresh_token", "client_id", CLIENT, "refresh_token", refreshToken));
    }

    public record SignedIn(String access, String refresh) {
    }

    /**
     * Follows Keycloak's invitation link as the person: accepts the partner terms and sets the password.
     *
     * @return the pages' texts, in order, for the test to check what was asked
     */
    public String acceptInvitation(String link, String newPassword) {
        StringBuilder seen = new StringBuilder();
        StringBuilder trail = new StringBuilder();
        HttpResponse<String> response = session.get(link);
        for (int step = 0; step < 12; step++) {
            String body = response.body();
            seen.append(body).append('\n');
            trail.append(response.statusCode()).append(' ').append(response.uri()).append(" -> ")
                    .append(location(response)).append(' ').append(title(body)).append('\n');
            if (response.statusCode() / 100 == 3) {
                response = session.get(absolute(location(response)));
            } else if (body.contains("name=\"password-new\"")) {
                response = session.post(CookieSession.formAction(body), Map.of("password-new", newPassword, "password-confirm", newPassword));
            } else if (body.contains("name=\"accept\"")) {
                response = session.post(CookieSession.formAction(body), Map.of("accept", "Accept"));
            } else {
                Matcher proceed = PROCEED_LINK.matcher(body);
                if (!proceed.find()) {
                    return seen.toString();
                }
                response = session.get(absolute(CookieSession.unescape(proceed.group(1))));
            }
        }
        throw new IllegalStateException("the invitation did not finish within 12 pages:\n" + trail);
    }




    private String absolute(String url) {
        return url.startsWith("http") ? url : keycloakUrl + url;
    }


    private static String title(String page) {
        Matcher matcher = Pattern.compile("<title>([^<]*)</title>").matcher(page);
        return matcher.find() ? matcher.group(1).trim() : "";
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }


}
