package org.partneraccess.machine;

import org.springframework.data.jpa.repository.JpaRepository;

interface MachineProfileRepository extends JpaRepository<MachineProfile, String> {
}
