package org.partneraccess.journeys;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Camunda Cockpit as staff use it: sign in, open a process instance, see which of its actions are offered. */
final class Cockpit {

    /** The process instance page's actions that change it: suspend, delete, add a variable; and a variable's edit. */
    static final By SUSPEND = By.cssSelector("a.btn-suspend-action");
    static final By DELETE = By.xpath("//a[contains(@class, 'btn-toolbar')][span[contains(@class, 'glyphicon-remove')]]");
    static final By ADD_VARIABLE = By.xpath("//a[contains(@class, 'btn-toolbar')][span[contains(@class, 'glyphicon-plus')]]");
    static final By EDIT_VARIABLE = By.cssSelector("button[ng-click^='enableEditMode']");
    /** A deployment's delete, in the repository. */
    static final By DELETE_DEPLOYMENT = By.cssSelector("a.delete-deployment");

    private final Browser browser;
    private final String baseUrl;

    Cockpit(Browser browser, int port) {
        this.browser = browser;
        this.baseUrl = "http://localhost:" + port + "/camunda/app/cockpit/default/";
    }

    /** Opens Cockpit, signs in at the staff realm where it sends, and returns the realm's pages passed. */
    java.util.List<String> logIn(String username, String password) {
        java.util.List<String> passed = browser.staffSignIn(baseUrl, username, password);
        browser.visible("Cockpit's dashboard", By.cssSelector("[cam-widget-header]"));
        return passed;
    }

    /** Opens the instance's page and waits until its actions and its variables are rendered (shown or not). */
    void openProcessInstance(String id) {
        browser.go(baseUrl + "#/process-instance/" + id + "/runtime");
        browser.until("the instance's actions rendered", ExpectedConditions.presenceOfElementLocated(SUSPEND));
        browser.until("the instance's variables rendered", ExpectedConditions.presenceOfElementLocated(EDIT_VARIABLE));
    }

    /**
     * Opens the repository, waits until its deployments' actions are rendered (shown or not) and points at the first
     * deployment: Cockpit shows a deployment's delete while the pointer is on it.
     */
    void openRepository() {
        browser.go(baseUrl + "#/repository");
        WebElement delete = browser.until("the deployments' actions rendered",
                ExpectedConditions.presenceOfElementLocated(DELETE_DEPLOYMENT));
        WebElement deployment = (WebElement) ((JavascriptExecutor) browser.driver())
                .executeScript("return arguments[0].closest('[ng-repeat]');", delete);
        new Actions(browser.driver()).moveToElement(deployment).perform();
    }

    /** Whether the page offers the action: rendered by Cockpit and displayed. */
    boolean offers(By action) {
        List<WebElement> found = browser.driver().findElements(action);
        return found.stream().anyMatch(WebElement::isDisplayed);
    }

    boolean markedReadOnly() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser.driver())
                .executeScript("return document.documentElement.classList.contains('read-only');"));
    }
}
