package org.partneraccess.audit;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** The audit chains on H2, the database the application and its integration tests run on by default. */
class AuditChainTest extends AuditChainContract {

    @Override
    protected DataSource freshDatabase() {
        JdbcDataSource database = new JdbcDataSource();
        // waits as long as the tests hold a chain open, and longer
        database.setURL("jdbc:h2:mem:audit-chains-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        return database;
    }
}
