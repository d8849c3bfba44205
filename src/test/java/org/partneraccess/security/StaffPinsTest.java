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
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The pin rules on the table the migration makes, in an in-memory database. */
class StaffPinsTest {

    private final AuditLog audit = mock(AuditLog.class);
    private JdbcTemplate jdbc;
    private StaffPins pins;

    @BeforeEach
    void database() {
        DriverManagerDataSource data = new DriverManagerDataSource("jdbc:h2:mem:pins-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(data);
        jdbc.execute(migration());
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

    @Test
    void aPairPinnedByAConcurrentRequestMeanwhileIsLetIn() {
        DriverManagerDataSource data = new DriverManagerDataSource("jdbc:h2:mem:pins-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate racing = new PinnedByAnotherRequestAfterFirstRead(data, "sam.sponsor", "id-sam");
        racing.execute(migration());
        StaffPins racedPins = new StaffPins(racing, audit, new DataSourceTransactionManager(data));

        assertThat(racedPins.refusal("sam.sponsor", "id-sam")).isEmpty();
        assertThat(racing.queryForList("select username || '=' || keycloak_id from staff_account_pin", String.class))
                .containsExactly("sam.sponsor=id-sam");
        verifyNoInteractions(audit);
    }

    private static String migration() {
        try {
            return Files.readString(Path.of("src/main/resources/db/migration/V14__staff_account_pin.sql"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The database as a request sees it while another request names the same staff user: right after this request's
     * first read of the pins, the other one pins the same name to the same account and commits.
     */
    private static final class PinnedByAnotherRequestAfterFirstRead extends JdbcTemplate {

        private final String username;
        private final String keycloakId;
        private final AtomicBoolean pinnedMeanwhile = new AtomicBoolean();

        PinnedByAnotherRequestAfterFirstRead(DataSource data, String username, String keycloakId) {
            super(data);
            this.username = username;
            this.keycloakId = keycloakId;
        }

        @Override
        public <T> T query(String sql, PreparedStatementSetter pss, ResultSetExtractor<T> rse) {
            T result = super.query(sql, pss, rse);
            if (sql.contains("from staff_account_pin") && pinnedMeanwhile.compareAndSet(false, true)) {
                update("insert into staff_account_pin (username, keycloak_id, pinned_at) values (?, ?, current_timestamp)",
                        username, keycloakId);
            }
            return result;
        }
    }
}
