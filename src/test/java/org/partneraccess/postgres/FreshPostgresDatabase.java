package org.partneraccess.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A PostgreSQL database created afresh for the run, shared by every test class of this package: they extend this
 * class, so they share one application context, one engine, and the database it was started on. The benchmarks
 * create databases of their own for the application nodes they start.
 */
public abstract class FreshPostgresDatabase {

    public static final String SERVER = System.getenv().getOrDefault("TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432");
    public static final String USER = System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = System.getenv().getOrDefault("TEST_POSTGRES_PASSWORD", "");
    /**
     * One database per test JVM: several checkouts may run their PostgreSQL tests against the same server at the same
     * time, and each drops and creates its database. Dropped again when the JVM ends.
     */
    static final String DATABASE = System.getenv().getOrDefault("TEST_POSTGRES_DATABASE",
            "partner_access_it_" + ProcessHandle.current().pid());

    /** Created once per JVM, by whichever class starts the shared context. */
    private static boolean created;

    @DynamicPropertySource
    static synchronized void freshDatabase(DynamicPropertyRegistry registry) throws SQLException {
        if (!created) {
            createDatabase(DATABASE);
            created = true;
        }
        registry.add("spring.datasource.url", () -> SERVER + "/" + DATABASE);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }

    /** Creates an empty database (dropping one left by an earlier run), dropped again when the JVM ends; its JDBC URL. */
    public static String createDatabase(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + "/postgres", USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
            statement.execute("create database " + name);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(name), "drop-test-database-" + name));
        return SERVER + "/" + name;
    }

    private static void dropDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(SERVER + "/postgres", USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("Could not drop the test database " + name + ": " + e.getMessage());
        }
    }
}
