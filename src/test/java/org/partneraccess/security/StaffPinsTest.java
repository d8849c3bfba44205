package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The pin rules on the table the migration makes, in an in-memory database. */
class StaffPinsTest {

    private final AuditLog audit = mock(AuditLog.class);
    private JdbcTemplate jdbc;
    private StaffPins pins;

    @BeforeEach
    void database() throws IOException {
        DriverManagerDataSource data = new DriverManagerDataSource("jdbc:h2:mem:pins-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(data);
        jdbc.execute(Files.readString(Path.of("src/main/resources/db/migration/V14__staff_account_pin.sql")));
        pins = new StaffPins(jdbc, audit, new DataSourceTransactionManager(data));
    }

    @Test
    void aNameFirstSeenIsPinnedToItsAccountAndThenLetIn() {
        assertThat(pins.refusal("Rita.Requester", "id-rita")).isEmpty();
        assertThat(pins.refusal("rita.requester", "id-rita")).isEmpty();
        assertThat(jdbc.queryForList("select username || '=' || keycloak_id from staff_account_pin", String.class))
                .containsExactly("rita.requester=id-rita");
        verifyNoInteractions(audit);
    }

    @Test
    void aRenamedAccountIsRefusedUnderItsNewName() {
        pins.refusal("rita.requester", "id-rita");
        assertThat(pins.refusal("rita.renamed", "id-rita")).hasValueSatisfying(problem ->
                assertThat(problem).contains("acted as rita.requester").contains("renamed"));
        assertThat(pins.refusal("rita.renamed", "id-rita")).isPresent();
        verify(audit, times(1)).record(eq(ActorKind.STAFF), eq("rita.renamed"), eq(GovernanceAction.STAFF_ACCOUNT_REFUSED), any(), any(),
                any());
        assertThat(jdbc.queryForObject("select count(*) from staff_account_pin", Long.class)).isEqualTo(1);
    }

    @Test
    void anAccountCreatedUnderAPinnedNameIsRefused() {
        pins.refusal("sam.sponsor", "id-sam");
        assertThat(pins.refusal("SAM.SPONSOR", "id-newcomer")).hasValueSatisfying(problem ->
                assertThat(problem).contains("stood for Keycloak account id-sam"));
        assertThat(pins.refusal("sam.sponsor", "id-sam")).as("the account the name stood for").isEmpty();
    }

    @Test
    void aCallerWithoutNameOrAccountIsRefused() {
        assertThat(pins.refusal(" ", "id-x")).isPresent();
        assertThat(pins.refusal("x", null)).isPresent();
        assertThat(jdbc.queryForObject("select count(*) from staff_account_pin", Long.class)).isZero();
    }
}
