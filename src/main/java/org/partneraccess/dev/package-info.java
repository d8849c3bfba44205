/** Development services of the dev profile only: the managed Keycloak and the local mail server. */
@ApplicationModule(allowedDependencies = {})
package org.partneraccess.dev;

import org.springframework.modulith.ApplicationModule;
