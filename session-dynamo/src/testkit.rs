//! Helpers for tests against AWS's DynamoDB Local (the `testkit` feature): a store on the
//! server `./scripts/test` starts, and a server of a test's own that it can stop and restart.
//!
//! Every client uses the same dummy credentials and region, because DynamoDB Local keeps one
//! database per access key and region.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

use crate::DynamoStore;

/// The variable that holds the endpoint of the DynamoDB Local `./scripts/test` started.
pub const ENDPOINT_VAR: &str = "SESSION_TEST_DYNAMODB_ENDPOINT";
/// The variable that holds the folder of `DynamoDBLocal.jar`, for tests that run their own.
pub const LOCAL_DIR_VAR: &str = "SESSION_TEST_DYNAMODB_LOCAL_DIR";
/// The table the shared tests use; every check uses fresh ids, so they can share it.
pub const TEST_TABLE: &str = "sessions-test";

fn required_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: this test needs DynamoDB Local; run ./scripts/test, which \
             installs and starts it"
        )
    })
}

/// A client for DynamoDB Local at `endpoint`, with the tests' dummy credentials and region.
pub fn local_client(endpoint: &str) -> Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "testkit"))
        .endpoint_url(endpoint)
        .build();
    Client::from_conf(config)
}

/// The endpoint of the DynamoDB Local that `./scripts/test` started. Panics, saying how to
/// get one, when there is none: a test that needs DynamoDB is never skipped.
pub fn shared_endpoint() -> String {
    required_var(ENDPOINT_VAR)
}

/// A store on [`TEST_TABLE`] of the shared DynamoDB Local, the table created if needed.
pub async fn local_store() -> DynamoStore {
    let store = DynamoStore::new(local_client(&shared_endpoint()), TEST_TABLE);
    if let Err(error) = store.create_table().await {
        panic!("cannot create {TEST_TABLE} on DynamoDB Local: {error:?}");
    }
    store
}

/// A DynamoDB Local process of one test's own, on a free port, killed on drop.
#[derive(Debug)]
pub struct DynamoLocal {
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl DynamoLocal {
    /// Starts one and waits until its port answers.
    pub fn start() -> Self {
        let dir = PathBuf::from(required_var(LOCAL_DIR_VAR));
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let mut local = Self { dir, port, child: None };
        local.restart();
        local
    }

    /// Its endpoint URL.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the process; its port stops answering.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the process again on the same port (with an empty database: it runs in memory)
    /// and waits until the port answers.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("java")
            .arg("-Djava.library.path=./DynamoDBLocal_lib")
            .args(["-jar", "DynamoDBLocal.jar", "-inMemory", "-port"])
            .arg(self.port.to_string())
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start DynamoDB Local in {:?}: {e}", self.dir));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "DynamoDB Local did not open port {}", self.port);
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for DynamoLocal {
    fn drop(&mut self) {
        self.stop();
    }
}
