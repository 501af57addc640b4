// Shim over the system SQLite: exposes what Swift cannot import (macros that cast to function
// pointers, variadic calls) as small inline functions. The session and pre-update hook APIs are
// compiled into Debian's library but declared behind these macros.
#ifndef VTSIM_CSQLITE_SHIM_H
#define VTSIM_CSQLITE_SHIM_H

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

/// Binds text that SQLite copies at once (SQLITE_TRANSIENT).
static inline int csqlite_bind_text_transient(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_TRANSIENT);
}

/// Binds a blob that SQLite copies at once (SQLITE_TRANSIENT).
static inline int csqlite_bind_blob_transient(sqlite3_stmt *stmt, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(stmt, index, bytes, length, SQLITE_TRANSIENT);
}

/// Sets a text result that SQLite copies at once.
static inline void csqlite_result_text_transient(sqlite3_context *context, const char *text, int length) {
    sqlite3_result_text(context, text, length, SQLITE_TRANSIENT);
}

/// Sets a blob result that SQLite copies at once.
static inline void csqlite_result_blob_transient(sqlite3_context *context, const void *bytes, int length) {
    sqlite3_result_blob(context, bytes, length, SQLITE_TRANSIENT);
}

/// sqlite3_db_config for the boolean options (the call is variadic).
static inline int csqlite_db_config_bool(sqlite3 *db, int op, int value, int *out) {
    return sqlite3_db_config(db, op, value, out);
}

/// Seeds SQLite's own PRNG so that random() and randomblob() repeat across processes.
static inline int csqlite_prng_seed(unsigned int seed, sqlite3 *db) {
    return sqlite3_test_control(SQLITE_TESTCTRL_PRNG_SEED, seed, db);
}

/// Resets SQLite's PRNG to its initial state.
static inline int csqlite_prng_reset(void) {
    return sqlite3_test_control(SQLITE_TESTCTRL_PRNG_RESET);
}

/// Turns SQLite's memory statistics off, so that an allocation takes no mutex. Only before the
/// library initializes (SQLITE_MISUSE after).
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
