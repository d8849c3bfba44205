package org.partneraccess.journeys;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The application's dashboard as staff see it: the staff realm's login page first, then the server-drawn pages. */
final class Dashboard {

    private final Browser browser;
    private final String baseUrl;

    Dashboard(Browser browser, int port) {
        this.browser = browser;
        this.baseUrl = "http://localhost:" + port;
    }

    /** Opens the dashboard, which sends to the staff realm's login page, and signs in there. */
    void signIn(String username, String password) {
        browser.go(baseUrl + "/dashboard");
        browser.visible("the staff realm's login page", By.id("kc-login"));
        browser.type("the user name field", By.id("username"), username);
        browser.type("the password field", By.id("password"), password);
        browser.screenshot("staff-login");
        browser.click("the Sign In button", By.id("kc-login"));
        browser.waitForText("Partner access at a glance");
    }

    void open(String path) {
        browser.go(baseUrl + path);
    }

    /** The cells of the first table row inside the element whose first cell reads {@code firstCell}. */
    List<String> row(By within, String firstCell) {
        for (WebElement row : browser.driver().findElement(within).findElements(By.cssSelector("tbody tr"))) {
            List<String> cells = row.findElements(By.tagName("td")).stream().map(c -> c.getText().trim()).toList();
            if (!cells.isEmpty() && cells.get(0).equals(firstCell)) {
                return cells;
            }
        }
        return List.of();
    }

    /** Every row of the tables inside the element, as cell texts. */
    List<List<String>> rows(By within) {
        return browser.driver().findElement(within).findElements(By.cssSelector("tbody tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).stream().map(c -> c.getText().trim()).toList())
                .toList();
    }
}
