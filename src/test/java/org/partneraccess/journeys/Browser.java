package org.partneraccess.journeys;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's headless Chromium, driven through the system chromedriver: a fresh profile each time, screenshots of
 * every step into {@code target/journeys/<journey>/}. Nothing is downloaded: the browser and its driver must be
 * installed ({@code CHROMIUM} and {@code CHROMEDRIVER} override {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}). Without them the journey fails on CI ({@code CI=true}) and is skipped elsewhere.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "journeys");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Map<Path, AtomicInteger> SHOTS = new HashMap<>();
    /**
     * Selenium warns that it has no DevTools (CDP) bindings for the installed Chromium's version; the journeys use
     * WebDriver only, so the warning says nothing. Held here so the level is not lost with the logger.
     */
    private static final List<java.util.logging.Logger> QUIET = Stream.of("org.openqa.selenium.devtools",
            "org.openqa.selenium.chromium.ChromiumDriver").map(Browser::severeOnly).toList();

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private final AtomicInteger shots;

    private Browser(String journey) throws IOException {
        File chromium = executable("CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
        profile = Files.createTempDirectory("journey-profile-");
        screenshots = SCREENSHOTS.resolve(journey);
        shots = numbering(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=en-US",
                "--user-data-dir=" + profile.toAbsolutePath());
        // the driver is named, so Selenium Manager never looks for (or downloads) one
        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** A new browser for the journey, or the reason there is none: a failure on CI, a skip elsewhere. */
    static Browser open(String journey) throws IOException {
        requireChromium(System.getenv());
        return new Browser(journey);
    }

    /** Fails on CI ({@code CI=true}) and skips elsewhere when Chromium or its driver is not installed. */
    static void requireChromium(Map<String, String> environment) {
        String missing = Stream.of(path(environment, "CHROMIUM", "/usr/bin/chromium"),
                        path(environment, "CHROMEDRIVER", "/usr/bin/chromedriver"))
                .filter(file -> !new File(file).canExecute()).reduce((a, b) -> a + ", " + b).orElse(null);
        if (missing != null) {
            String message = "Browser journeys need Chromium and its driver; missing: " + missing
                    + " (Debian: apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(environment.get("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message + " - skipped because CI is not set");
        }
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Opens a staff page ({@code url}, of the dashboard or a webapp) and signs in where it sends: the staff realm's
     * pages, filled in as the person would ({@link #signInAtStaffRealm}). Returns the realm's pages passed on the way.
     */
    List<String> staffSignIn(String url, String username, String password) {
        go(url);
        return signInAtStaffRealm(username, password);
    }

    /**
     * Fills in the staff realm's pages while the browser shows one: the password form, then the one-time code form
     * when a second factor is asked for (the demo user's code, as their authenticator shows it). Returns the pages
     * passed ({@code password}, {@code one-time code}); none when the browser was already signed in.
     */
    List<String> signInAtStaffRealm(String username, String password) {
        List<String> passed = new java.util.ArrayList<>();
        for (int page = 0; page < 3; page++) {
            until("the page loaded", driver -> "complete".equals(
                    ((JavascriptExecutor) driver).executeScript("return document.readyState")));
            if (!driver.findElements(By.id("otp")).isEmpty()) {
                passed.add("one-time code");
                screenshot("staff-second-factor");
                WebElement form = driver.findElement(By.id("otp"));
                type("the one-time code field", By.id("otp"), org.partneraccess.support.Otp.code(username));
                click("the Sign In button", By.id("kc-login"));
                until("the one-time code page left", ExpectedConditions.stalenessOf(form));
            } else if (!driver.findElements(By.id("password")).isEmpty() && !driver.findElements(By.id("kc-login")).isEmpty()) {
                passed.add("password");
                screenshot("staff-login");
                WebElement form = driver.findElement(By.id("password"));
                type("the user name field", By.id("username"), username);
                type("the password field", By.id("password"), password);
                click("the Sign In button", By.id("kc-login"));
                until("the sign-in page left", ExpectedConditions.stalenessOf(form));
            } else {
                return passed;
            }
        }
        return passed;
    }

    void go(String url) {
        driver.get(url);
    }

    /** Waits for something on the page; fails with a screenshot of what the page showed instead. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        try {
            // a page that redraws while the condition reads it is simply asked again
            return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(200)).withMessage(what)
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (RuntimeException e) {
            screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw e;
        }
    }

    WebElement visible(String what, By locator) {
        return until(what, ExpectedConditions.visibilityOfElementLocated(locator));
    }

    WebElement clickable(String what, By locator) {
        return until(what, ExpectedConditions.elementToBeClickable(locator));
    }

    /** Clicks once the element is clickable; a list that redraws between finding and clicking is looked up again. */
    void click(String what, By locator) {
        for (int attempt = 1; ; attempt++) {
            try {
                WebElement element = clickable(what, locator);
                ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
                element.click();
                return;
            } catch (StaleElementReferenceException redrawn) {
                if (attempt == 3) {
                    throw redrawn;
                }
            }
        }
    }

    /** Brings the element to the middle of the window, for a screenshot that shows it. */
    void scrollTo(String what, By locator) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});",
                visible(what, locator));
    }

    /**
     * Replaces the field's text as a person would (select all, delete, type): {@code clear()} alone sets the value
     * behind the form's back, and the form can render its old value again before the new keys arrive.
     */
    void type(String what, By locator, String text) {
        WebElement field = clickable(what, locator);
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
        until(what + " holding what was typed", d -> text.equals(field.getDomProperty("value")));
    }

    /** The value of a field: a Camunda Form's field by the id the form gives it (Field_...), or any element by its id. */
    String value(String fieldId) {
        List<WebElement> fields = driver.findElements(By.cssSelector("[id$='-" + fieldId + "'], #" + fieldId));
        return fields.isEmpty() ? "" : String.valueOf(fields.get(0).getDomProperty("value"));
    }

    /** The page text as a person reads it. */
    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    boolean shows(String text) {
        try {
            return text().contains(text);
        } catch (RuntimeException stale) {
            return false;
        }
    }

    void waitForText(String text) {
        until("page shows \"" + text + "\"", d -> shows(text));
    }

    /** Saves what the page shows now as {@code target/journeys/<journey>/NN-name.png}. */
    Path screenshot(String name) {
        try {
            Path file = screenshots.resolve("%02d-%s.png".formatted(shots.incrementAndGet(), name));
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // a screenshot must never hide the failure it was taken for
            return null;
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    /** One numbering per journey and test run, over all its browsers; a journey's earlier pictures are removed. */
    private static synchronized AtomicInteger numbering(Path folder) throws IOException {
        AtomicInteger counter = SHOTS.get(folder);
        if (counter == null) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> old = Files.list(folder)) {
                    for (Path file : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(folder);
            counter = new AtomicInteger();
            SHOTS.put(folder, counter);
        }
        return counter;
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static java.util.logging.Logger severeOnly(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private static File executable(String variable, String fallback) {
        return new File(path(System.getenv(), variable, fallback));
    }

    private static String path(Map<String, String> environment, String variable, String fallback) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? fallback : value;
    }
}
