//! Where a call goes when its endpoint-rule parameters come from every
//! source a model can name (`tests/models/aws/endpoint-params.smithy`): a
//! client context parameter, static parameters, `@contextParam` members and
//! `@operationContextParams` paths. Sent to a test transport, which records
//! the request.

use tinsmith_runtime::test_util::TestTransport;
use tinsmith_tests::corpus::endpoint_params as sdk;

fn client(transport: &TestTransport, stage: Option<&str>) -> sdk::Client {
    let mut config = tinsmith_runtime::Config::builder()
        .transport(transport.clone())
        .retry(tinsmith_runtime::RetryConfig::disabled());
    if let Some(stage) = stage {
        config = config.endpoint_param("Stage", stage);
    }
    sdk::Client::new(config.build())
}

fn sent_to(transport: &TestTransport) -> String {
    let request = transport.last_request();
    format!(
        "{}://{}",
        request.uri().scheme_str().unwrap_or_default(),
        request.uri().authority().unwrap()
    )
}

fn owner(tenant: &str, fast: Option<bool>) -> sdk::types::Owner {
    sdk::types::Owner::builder()
        .tenant(tenant)
        .fast(fast)
        .build()
        .unwrap()
}

#[tokio::test]
async fn operation_context_paths_reach_into_the_input() {
    let transport = TestTransport::new(200, &[], "{}");
    let item = |name: &str| sdk::types::Item::builder().name(name).build();
    // `keys(Tags)` (sorted) and `Items[*].Name`.
    client(&transport, None)
        .tag()
        .tags(std::collections::HashMap::from([
            ("b".to_owned(), "1".to_owned()),
            ("a".to_owned(), "2".to_owned()),
        ]))
        .items(vec![item("x"), item("y")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent_to(&transport), "https://a.x.example.com");
    // `Owner.Tenant` and `Owner.Fast`.
    client(&transport, None)
        .tag()
        .owner(owner("t1", Some(true)))
        .send()
        .await
        .unwrap();
    assert_eq!(sent_to(&transport), "https://t1.fast.example.com");
    client(&transport, None)
        .tag()
        .owner(owner("t2", None))
        .send()
        .await
        .unwrap();
    assert_eq!(sent_to(&transport), "https://t2.example.com");
    // Nothing set: the rules' own error, and nothing sent.
    let before = transport.requests().len();
    let error = client(&transport, None).tag().send().await.unwrap_err();
    let text = format!("{error:?}");
    assert!(text.contains("no tenant"), "{text}");
    assert_eq!(transport.requests().len(), before);
}

#[tokio::test]
async fn static_context_and_client_parameters_take_part() {
    let transport = TestTransport::new(200, &[], "{}");
    // `@contextParam` gives the tenant, `@staticContextParams` the fast lane.
    client(&transport, None)
        .quick()
        .tenant("t3")
        .send()
        .await
        .unwrap();
    assert_eq!(sent_to(&transport), "https://t3.fast.example.com");
    // A client context parameter from the configuration.
    client(&transport, Some("beta"))
        .quick()
        .tenant("t4")
        .send()
        .await
        .unwrap();
    assert_eq!(sent_to(&transport), "https://t4.beta.example.com");
}
