package org.partneraccess.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kind of the actors the application names when it records through {@link AuditLog#record(String, AuditAction, String, String, String)}. */
class ActorKindTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            system                                           | SYSTEM
            policy                                           | POLICY
            system:revocation-drill                          | SYSTEM
            system:revocation-drill-x                        | STAFF
            service-account-partner-access-incident-reporter | SYSTEM
            rita.requester                                   | STAFF
            sam.sponsor, sofia.security                      | STAFF
            System                                           | STAFF
            """)
    void theKindFollowsFromTheName(String actor, ActorKind kind) {
        assertThat(ActorKind.of(actor)).isEqualTo(kind);
    }
}
