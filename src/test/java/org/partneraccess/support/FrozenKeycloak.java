package org.partneraccess.support;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.partneraccess.dev.ManagedKeycloak;

/**
 * The managed Keycloak server frozen (SIGSTOP) until closed (SIGCONT): to the application it is a server that accepts
 * connections and never answers, the hardest way for it to be down; its realms stay as they were, so it can go on.
 */
public final class FrozenKeycloak implements AutoCloseable {

    private final List<ProcessHandle> servers;

    private FrozenKeycloak(List<ProcessHandle> servers) {
        this.servers = servers;
        signal("STOP");
    }

    public static FrozenKeycloak freeze() {
        String port = "--http-port=" + URI.create(ManagedKeycloak.current().url()).getPort();
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().filter(line -> line.contains(port)).isPresent())
                .toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException("No process of the managed Keycloak found (" + port + ")");
        }
        return new FrozenKeycloak(servers);
    }

    @Override
    public void close() {
        signal("CONT");
    }

    private void signal(String name) {
        for (ProcessHandle server : servers) {
            try {
                int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(server.pid())).inheritIO().start().waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("kill -" + name + " " + server.pid() + " exited with " + exit);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Could not signal Keycloak", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while signalling Keycloak", e);
            }
        }
    }
}
