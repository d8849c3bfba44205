package org.partneraccess.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** The drill is scheduled only when its interval is set; the setting's empty default leaves it off. */
class DrillScheduleTest {

    @Test
    void withTheSettingEmptyNothingIsScheduledAndNothingRuns() {
        DrillProperties off = bind(Map.of("partner-access.drill.interval", ""));
        assertThat(off.on()).isFalse();
        RevocationDrill drill = mock(RevocationDrill.class);
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new DrillSchedule(off, drill).configureTasks(registrar);

        assertThat(registrar.hasTasks()).isFalse();
        verifyNoInteractions(drill);
    }

    @Test
    void withoutTheSettingNothingIsScheduled() {
        DrillProperties unset = bind(Map.of());
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new DrillSchedule(unset, mock(RevocationDrill.class)).configureTasks(registrar);

        assertThat(unset.on()).isFalse();
        assertThat(registrar.hasTasks()).isFalse();
    }

    @Test
    void withAnIntervalTheDrillIsLookedForAtThatInterval() {
        DrillProperties on = bind(Map.of("partner-access.drill.interval", "PT6H"));
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        new DrillSchedule(on, mock(RevocationDrill.class)).configureTasks(registrar);

        assertThat(registrar.getFixedDelayTaskList()).singleElement().satisfies(task -> {
            assertThat(task.getIntervalDuration()).isEqualTo(Duration.ofHours(6));
            assertThat(task.getInitialDelayDuration()).isEqualTo(Duration.ofMinutes(1));
        });
        assertThat(registrar.getCronTaskList()).isEmpty();
        assertThat(registrar.getFixedRateTaskList()).isEmpty();
    }

    private static DrillProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("partner-access.drill",
                DrillProperties.class);
    }
}
