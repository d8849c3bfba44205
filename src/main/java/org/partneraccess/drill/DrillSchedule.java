package org.partneraccess.drill;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Schedules the revocation drill when its interval is set, and nothing otherwise. Every node looks each interval;
 * the drill's turn (a locked row) lets only the first run it.
 */
@Component
class DrillSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DrillSchedule.class);

    private final DrillProperties properties;
    private final RevocationDrill drill;

    DrillSchedule(DrillProperties properties, RevocationDrill drill) {
        this.properties = properties;
        this.drill = drill;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (!properties.on()) {
            log.info("Revocation drill off (REVOCATION_DRILL_INTERVAL is empty)");
            return;
        }
        registrar.addFixedDelayTask(new FixedDelayTask(this::runIfDue, properties.interval(), properties.firstAfter()));
    }

    void runIfDue() {
        try {
            drill.runIfDue();
        } catch (RuntimeException e) {
            // the drill records its own failures; this is what it could not even record (the database unreachable)
            log.warn("Revocation drill could not run: {}", e.getMessage());
        }
    }
}
