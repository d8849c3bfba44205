/** The staff dashboard: server-rendered pages over the other modules' services. */
@ApplicationModule(allowedDependencies = {"audit", "decision", "drift", "drill", "human", "inventory", "keycloak",
        "machine", "mail", "partnership", "receipt", "revocation", "security", "trust"})
package org.partneraccess.dashboard;

import org.springframework.modulith.ApplicationModule;
