package org.partneraccess.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * When an approval of a request is due, by its risk tier: the approval tasks' due date and the moment their
 * escalation to the security officers fires.
 */
@Component
@EnableConfigurationProperties(ApprovalDeadlines.Properties.class)
public class ApprovalDeadlines {

    private final Map<String, Integer> decisionDays;
    private final Clock clock;

    @Autowired
    ApprovalDeadlines(Properties properties) {
        this(properties.decisionDays(), Clock.systemUTC());
    }

    ApprovalDeadlines(Map<String, Integer> decisionDays, Clock clock) {
        if (decisionDays == null || decisionDays.isEmpty()) {
            throw new IllegalArgumentException("partner-access.approvals.decision-days names no risk tier");
        }
        this.decisionDays = Map.copyOf(decisionDays);
        this.clock = clock;
    }

    /** The due date of an approval asked for now; a tier with no setting gets the shortest time (the strictest). */
    public Date dueFor(String riskTier) {
        int days = decisionDays.getOrDefault(riskTier, Collections.min(decisionDays.values()));
        return Date.from(Instant.now(clock).plus(Duration.ofDays(days)));
    }

    /** @param decisionDays the days an approver has to decide, per risk tier */
    @ConfigurationProperties(prefix = "partner-access.approvals")
    public record Properties(Map<String, Integer> decisionDays) {
    }
}
