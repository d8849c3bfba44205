package org.partneraccess.journeys;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The journeys never pass silently on CI: a missing browser fails there and is only skipped elsewhere. */
class BrowserTest {

    private static final String PRESENT = "/bin/sh";
    private static final String MISSING = "/nonexistent/chromium";

    @Test
    void missingChromiumFailsOnCi() {
        assertThatThrownBy(() -> Browser.requireChromium(Map.of("CI", "true", "CHROMIUM", MISSING, "CHROMEDRIVER", PRESENT)))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining(MISSING);
    }

    @Test
    void missingDriverFailsOnCi() {
        assertThatThrownBy(() -> Browser.requireChromium(Map.of("CI", "true", "CHROMIUM", PRESENT,
                "CHROMEDRIVER", "/nonexistent/chromedriver")))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("/nonexistent/chromedriver");
    }

    @Test
    void missingChromiumSkipsWithItsReasonElsewhere() {
        assertThatThrownBy(() -> Browser.requireChromium(Map.of("CHROMIUM", MISSING, "CHROMEDRIVER", PRESENT)))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining(MISSING)
                .hasMessageContaining("apt-get install chromium chromium-driver");
    }

    @Test
    void installedBrowserGoesAhead() {
        assertThatCode(() -> Browser.requireChromium(Map.of("CI", "true", "CHROMIUM", PRESENT, "CHROMEDRIVER", PRESENT)))
                .doesNotThrowAnyException();
    }
}
