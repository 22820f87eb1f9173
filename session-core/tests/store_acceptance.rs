//! The in-memory store passes the acceptance suite every store must pass.

session_core::store_acceptance_tests!(memory_store, async { session_core::MemoryStore::new() });
