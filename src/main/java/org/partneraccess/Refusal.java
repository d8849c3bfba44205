package org.partneraccess;

/**
 * A refusal by one of the application's own guards (segregation of duties, the decision record, a registry record's
 * allowed transitions): the caller asked for something the rules or the current state do not allow, and nothing was
 * changed. Nothing failed either, so wherever in an engine command it is raised, the engine's APIs answer it with the
 * 4xx of its {@link Kind} and its message (through both doors: {@code /engine-rest} and the webapps' session API),
 * where Camunda's REST layer would answer 500 for most exceptions from inside a command. In a job it fails the job as
 * any exception does. A genuine failure is no refusal: a bug stays a 500 and an incident; Keycloak not answering is a
 * 503 to ask again later ({@code security.EngineRefusals}), and a retry in a job.
 */
public interface Refusal {

    /** What the refusal answers: the caller may not (403), or the current state does not allow it (409). */
    enum Kind {
        FORBIDDEN(403), CONFLICT(409);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    Kind kind();
}
