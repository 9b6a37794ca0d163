// SPDX-License-Identifier: GPL-3.0-or-later
#include "store.h"

#include "store/migrator.h"

namespace lm::store {

Result<void> Store::migrate()
{
    return Migrator(m_db).migrate();
}

} // namespace lm::store
