//! The acceptance suite every `SessionStore` must pass, against DynamoDB Local.

session_core::store_acceptance_tests!(dynamo_store, session_dynamo::testkit::local_store());
