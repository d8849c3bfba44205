package org.partneraccess.journeys;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Camunda Tasklist as a staff member uses it: log in, start a process through its form, work a task. */
final class Tasklist {

    private static final DateTimeFormatter FORM_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    private static final By START_BUTTON = By.cssSelector(".modal-footer button.btn-primary");

    private final Browser browser;
    private final String baseUrl;

    Tasklist(Browser browser, int port) {
        this.browser = browser;
        this.baseUrl = "http://localhost:" + port + "/camunda/app/tasklist/default/";
    }

    /** Opens Tasklist, signs in at the staff realm where it sends, and returns the realm's pages passed. */
    java.util.List<String> logIn(String username, String password) {
        java.util.List<String> passed = browser.staffSignIn(baseUrl, username, password);
        browser.visible("the Start process link", By.xpath("//a[contains(normalize-space(), 'Start process')]"));
        return passed;
    }

    /** Whether Tasklist offers "Create task" (a task outside every process): rendered by its plugin, then hidden. */
    boolean offersCreateTask() {
        WebElement action = browser.until("Tasklist's navigation actions rendered",
                ExpectedConditions.presenceOfElementLocated(By.cssSelector(".create-task-action")));
        return action.isDisplayed();
    }

    /** Opens the start form of the process with this name, as shown in the "Start process" dialog. */
    void openStartForm(String processName) {
        browser.click("the Start process link", By.xpath("//a[contains(normalize-space(), 'Start process')]"));
        browser.click("the process " + processName + " in the start dialog",
                By.xpath("//div[contains(@class, 'modal-dialog')]//ul[contains(@class, 'processes')]//a[normalize-space()='"
                        + processName + "']"));
        browser.visible("the start form", By.cssSelector(".modal-dialog .fjs-form"));
    }

    /** A field of the Camunda Form on screen, by the id the form gives it (Field_...). */
    WebElement field(String fieldId) {
        return browser.visible("form field " + fieldId, By.cssSelector("[id$='-" + fieldId + "']"));
    }

    void fill(String fieldId, String text) {
        browser.type("form field " + fieldId, By.cssSelector("[id$='-" + fieldId + "']"), text);
    }

    /** Picks the entry of a searchable select whose label contains this text, as a person does: type, then click. */
    void choose(String fieldId, String text) {
        fill(fieldId, text);
        browser.click("the choice '" + text + "' of " + fieldId, By.xpath("//div[contains(@class, 'fjs-dropdownlist-item')]"
                + "[contains(normalize-space(), '" + text + "')]"));
    }

    /** The labels a checklist offers now, in order. */
    java.util.List<String> choices(String fieldId) {
        return browser.driver().findElements(By.cssSelector("input[type='checkbox'][id*='-" + fieldId + "-']")).stream()
                .map(box -> browser.driver().findElement(By.cssSelector("label[for='" + box.getAttribute("id") + "']"))
                        .getText().trim()).toList();
    }

    /** Ticks the checklist entries at these positions (0 = first). */
    void tick(String fieldId, int... positions) {
        for (int position : positions) {
            By box = By.cssSelector("[id$='-" + fieldId + "-" + position + "']");
            if (!browser.clickable("checklist " + fieldId, box).isSelected()) {
                browser.click("checklist " + fieldId, box);
            }
        }
    }

    void check(String fieldId) {
        By box = By.cssSelector("[id$='-" + fieldId + "']");
        if (!browser.clickable("checkbox " + fieldId, box).isSelected()) {
            browser.click("checkbox " + fieldId, box);
        }
    }

    /** Types a date into a date field as a person does (the picker accepts typed dates). */
    void date(String fieldId, LocalDate date) {
        By input = By.cssSelector("[id$='-" + fieldId + "-date']");
        browser.click("date field " + fieldId, input);
        WebElement field = browser.clickable("date field " + fieldId, input);
        field.sendKeys(date.format(FORM_DATE));
        field.sendKeys(Keys.ENTER);
    }

    /** The messages the form shows under its invalid fields. */
    String fieldErrors() {
        return String.join("\n", browser.driver().findElements(By.cssSelector(".fjs-form-field-error")).stream()
                .map(WebElement::getText).toList());
    }

    boolean startEnabled() {
        return browser.driver().findElement(START_BUTTON).isEnabled();
    }

    void start() {
        browser.click("an enabled Start button", START_BUTTON);
        browser.waitForText("The process has been started.");
    }

    void openFilter(String name) {
        browser.click("the filter " + name, By.xpath("//div[contains(@class, 'task-filter')]/h4/a[contains(normalize-space(), '"
                + name + "')]"));
    }

    /** The entry of this task in the task list, once the list shows it. */
    By listEntry(String taskId) {
        return By.cssSelector(".tasks-list h4.task a[href$='task=" + taskId + "']");
    }

    void openTaskLink(String taskId) {
        browser.go(baseUrl + "#/?task=" + taskId);
    }

    void claim() {
        browser.click("the Claim button", By.cssSelector("button.claim"));
        browser.visible("the task claimed (Unclaim offered)", By.cssSelector("button.unclaim"));
    }

    void complete() {
        browser.click("an enabled Complete button", By.xpath("//button[normalize-space()='Complete']"));
    }
}
