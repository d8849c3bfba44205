package org.partneraccess;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Package by feature, kept honest: no cycles between features, no reaching into another feature's internals. */
class StructureTest {

    @Test
    void featuresDependOnEachOtherOnlyThroughTheirPublicApi() {
        ApplicationModules.of(PartnerAccessApplication.class).verify();
    }
}
