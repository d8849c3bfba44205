/** Partner machines: registration, just-in-time credentials, rotation and revocation of a workload's access. */
@ApplicationModule(allowedDependencies = {"audit", "decision", "inventory", "keycloak", "mail",
        "partnership", "policy", "security", "trust"})
package org.partneraccess.machine;

import org.springframework.modulith.ApplicationModule;
