package org.partneraccess.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApprovalDeadlinesTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private final ApprovalDeadlines deadlines = new ApprovalDeadlines(
            Map.of("LOW", 5, "MEDIUM", 3, "HIGH", 2, "CRITICAL", 1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anApprovalIsDueAfterTheDaysOfItsRiskTier() {
        assertThat(deadlines.dueFor("LOW")).isEqualTo(Date.from(Instant.parse("2026-03-07T09:00:00Z")));
        assertThat(deadlines.dueFor("HIGH")).isEqualTo(Date.from(Instant.parse("2026-03-04T09:00:00Z")));
        assertThat(deadlines.dueFor("CRITICAL")).isEqualTo(Date.from(Instant.parse("2026-03-03T09:00:00Z")));
    }

    @Test
    void aTierWithNoSettingGetsTheShortestTime() {
        assertThat(deadlines.dueFor("UNHEARD_OF")).isEqualTo(Date.from(Instant.parse("2026-03-03T09:00:00Z")));
    }
}
