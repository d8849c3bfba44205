package org.partneraccess.journeys;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The application's dashboard as staff see it: the staff realm's login page first, then the server-drawn pages. */
final class Dashboard {

    private final Browser browser;
    private final String baseUrl;
    private String username;
    private String password;

    Dashboard(Browser browser, int port) {
        this.browser = browser;
        this.baseUrl = "http://localhost:" + port;
    }

    /** Opens the dashboard, which sends to the staff realm's login page, and signs in there. */
    void signIn(String username, String password) {
        this.username = username;
        this.password = password;
        browser.go(baseUrl + "/dashboard");
        browser.visible("the staff realm's login page", By.id("kc-login"));
        browser.signInAtStaffRealm(username, password);
        browser.waitForText("Partner access at a glance");
    }

    /** Opens a page; a page where the user acts steps them up first (the staff realm asks for the one-time code). */
    void open(String path) {
        browser.go(baseUrl + path);
        if (username != null) {
            browser.signInAtStaffRealm(username, password);
        }
    }

    /** Follows a link of the page; a page where the user acts steps them up first, as {@link #open} does. */
    void follow(String what, By link) {
        WebElement element = browser.visible(what, link);
        browser.click(what, link);
        browser.until("the page of " + what, ExpectedConditions.stalenessOf(element));
        if (username != null) {
            browser.signInAtStaffRealm(username, password);
        }
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
