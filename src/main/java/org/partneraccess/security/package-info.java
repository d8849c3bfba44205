/** Staff authentication and authorization, the engine's guard and the second factor. */
@ApplicationModule(allowedDependencies = {"audit", "keycloak"})
package org.partneraccess.security;

import org.springframework.modulith.ApplicationModule;
