package org.partneraccess.postgres;

import javax.sql.DataSource;

import org.partneraccess.audit.AuditChainContract;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The audit chains on PostgreSQL: concurrent appends, a new chain's first appends at once, and the tampering the
 * verification names, each test on a database of its own.
 */
class AuditChainPostgresIT extends AuditChainContract {

    private static int databases;

    @Override
    protected DataSource freshDatabase() throws Exception {
        String url = FreshPostgresDatabase.createDatabase("partner_access_audit_" + ProcessHandle.current().pid()
                + "_" + ++databases);
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(url);
        database.setUser(FreshPostgresDatabase.USER);
        database.setPassword(FreshPostgresDatabase.PASSWORD);
        return database;
    }
}
