package org.partneraccess.journeys;

import org.openqa.selenium.By;

/** Keycloak's pages in the partner realm as the partner person sees them: the invitation and the account console. */
final class PartnerAccount {

    private static final By USERNAME = By.id("username");
    private static final By PASSWORD = By.id("password");

    private final Browser browser;
    private final String accountUrl;

    PartnerAccount(Browser browser, String keycloakUrl) {
        this.browser = browser;
        this.accountUrl = keycloakUrl + "/realms/partner/account/";
    }

    /** Opens the invitation link, accepts the partner terms and sets the password. */
    void acceptInvitation(String link, String password) {
        browser.go(link);
        browser.until("the invitation's first page", d -> present(By.name("accept")) || present(By.id("password-new"))
                || present(By.partialLinkText("Click here to proceed")));
        if (present(By.partialLinkText("Click here to proceed"))) {
            browser.screenshot("invitation-proceed");
            browser.click("the proceed link", By.partialLinkText("Click here to proceed"));
        }
        browser.visible("the partner terms", By.name("accept"));
        browser.screenshot("terms");
        browser.click("the Accept button", By.name("accept"));
        browser.type("the new password", By.id("password-new"), password);
        browser.type("the password confirmation", By.id("password-confirm"), password);
        browser.screenshot("set-password");
        browser.click("the submit button", By.cssSelector("form [type='submit']"));
        browser.until("the invitation done", d -> !present(By.id("password-new")));
    }

    /** Opens the account console and signs in; returns once the console or an error shows. */
    void signIn(String username, String password) {
        browser.go(accountUrl);
        browser.type("the user name field", USERNAME, username);
        browser.type("the password field", PASSWORD, password);
        browser.click("the Sign In button", By.id("kc-login"));
        browser.until("the account console or a login error", d -> signedIn() || loginError() != null);
    }

    /** The account console shows, not a login page (whose form has the Sign In button). */
    boolean signedIn() {
        return browser.driver().getCurrentUrl().startsWith(accountUrl) && !present(By.id("kc-login"))
                && present(By.xpath("//*[normalize-space()='Personal info']"));
    }

    /** The error Keycloak shows on its login page, or null. */
    String loginError() {
        for (By error : new By[] {By.cssSelector(".kc-feedback-text"), By.id("input-error")}) {
            var found = browser.driver().findElements(error);
            if (!found.isEmpty() && !found.get(0).getText().isBlank()) {
                return found.get(0).getText().trim();
            }
        }
        return null;
    }

    void signOutLocally() {
        browser.driver().manage().deleteAllCookies();
    }

    private boolean present(By locator) {
        return !browser.driver().findElements(locator).isEmpty();
    }
}
