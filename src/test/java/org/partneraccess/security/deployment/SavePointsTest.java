package org.partneraccess.security.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.partneraccess.security.SavePoints;

/** The save-point list names delegates that exist, so a renamed delegate does not silently leave the rule. */
class SavePointsTest {

    @Test
    void everySavePointDelegateIsADelegateBean() {
        assertThat(DelegateBeans.scan()).containsAll(SavePoints.DELEGATES);
    }
}
