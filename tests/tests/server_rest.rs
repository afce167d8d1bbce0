//! End-to-end over restJson1: generated clients against the servers
//! generated from the same models (`Builder::server`), served by axum on
//! 127.0.0.1. The Weather example round-trips every operation (labels,
//! a greedy label, literal query parameters, query lists and maps,
//! headers, prefix headers, structure, union, blob, string and document
//! payloads, response codes); `tests/models/odd/bindings.smithy` sends every
//! HTTP binding on every type it may bind and checks that the server's
//! handler receives exactly what the client sent, and that the client reads
//! back exactly what the handler answered. Modeled errors arrive typed with
//! their status and headers; constraint violations, malformed requests and
//! unknown routes arrive with the protocol's codes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;
use tinsmith_runtime::auth::StaticIdentity;
use tinsmith_runtime::server::{Request, Status};
use tinsmith_runtime::{
    BigDecimal, BigInteger, Blob, DateTime, Document, ProvideErrorStatus, RetryConfig,
};
use tinsmith_tests::corpus::odd_bindings;
use tinsmith_tests::weather;

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn document(value: serde_json::Value) -> Document {
    tinsmith_runtime::json::de_document(&value)
}

fn no_retries() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(1)
        .with_initial_backoff(Duration::from_millis(1))
}

mod weather_server {
    use super::*;
    use tinsmith_tests::weather::error::{CreateCityError, GetCityError};
    use tinsmith_tests::weather::server::{self, Weather};
    use tinsmith_tests::weather::types::*;

    /// An in-memory Weather service, written against the generated trait;
    /// the test keeps a clone to look inside.
    #[derive(Clone, Default)]
    pub struct Cities(std::sync::Arc<State>);

    impl std::ops::Deref for Cities {
        type Target = State;

        fn deref(&self) -> &State {
            &self.0
        }
    }

    #[derive(Default)]
    pub struct State {
        pub cities: Mutex<Vec<(String, CreateCityInput)>>,
        pub reports: Mutex<Vec<PutReportInput>>,
        pub notes: Mutex<HashMap<String, Option<String>>>,
    }

    fn city(cities: &Cities, id: &str) -> Result<CreateCityInput, NoSuchResource> {
        cities
            .cities
            .lock()
            .unwrap()
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, c)| c.clone())
            .ok_or_else(|| {
                NoSuchResource::builder()
                    .resource_type("city")
                    .build()
                    .unwrap()
            })
    }

    impl Weather for Cities {
        async fn create_city(
            &self,
            request: Request<CreateCityInput>,
        ) -> Result<CreateCityOutput, server::CreateCityError> {
            let input = request.into_input();
            let name = input.name.clone().expect("required");
            let id = name.to_lowercase();
            let mut cities = self.cities.lock().unwrap();
            if name == "Busy" {
                return Err(ThrottlingError::builder()
                    .message("slow down")
                    .build()
                    .into());
            }
            if name == "Broken" {
                return Err(Status::new("Broken", "the city broke")
                    .with_http_status(502)
                    .with_metadata("x-broken-at", "noon")
                    .unwrap()
                    .into());
            }
            if cities.iter().any(|(i, _)| *i == id) {
                return Err(CityAlreadyExists::builder()
                    .message("already registered")
                    .existing_city_id(id)
                    .build()
                    .unwrap()
                    .into());
            }
            cities.push((id.clone(), input));
            Ok(CreateCityOutput::builder().city_id(id).build().unwrap())
        }

        async fn get_city(
            &self,
            request: Request<GetCityInput>,
        ) -> Result<GetCityOutput, server::GetCityError> {
            let id = request.input().city_id.clone().expect("a label");
            let city = city(self, &id)?;
            Ok(GetCityOutput::builder()
                .name(city.name.unwrap())
                .coordinates(city.coordinates.unwrap())
                .build()
                .unwrap())
        }

        async fn get_city_metadata(
            &self,
            request: Request<GetCityMetadataInput>,
        ) -> Result<GetCityMetadataOutput, server::GetCityMetadataError> {
            let id = request.input().city_id.clone().expect("a label");
            let city = city(self, &id).map_err(|_| Status::new("NotFound", "no city"))?;
            Ok(GetCityMetadataOutput::builder()
                .metadata(city.notes)
                .build())
        }

        async fn get_current_time(
            &self,
            _request: Request<()>,
        ) -> Result<GetCurrentTimeOutput, server::GetCurrentTimeError> {
            Ok(GetCurrentTimeOutput::builder()
                .time(DateTime::from_secs(1_700_000_000))
                .build()
                .unwrap())
        }

        async fn get_forecast(
            &self,
            request: Request<GetForecastInput>,
        ) -> Result<GetForecastOutput, server::GetForecastError> {
            let id = request.input().city_id.clone().expect("a label");
            let alert = |message: &str, severity, next: Option<Alert>| {
                Alert::builder()
                    .message(message)
                    .severity(severity)
                    .next(next)
                    .build()
                    .unwrap()
            };
            Ok(GetForecastOutput::builder()
                .chance_of_rain(if id == "seattle" { 0.9 } else { 0.1 })
                .alerts(alert(
                    "storm",
                    Severity::Warning,
                    Some(alert("wind", Severity::Advisory, None)),
                ))
                .build())
        }

        async fn get_radar(
            &self,
            _request: Request<GetRadarInput>,
        ) -> Result<GetRadarOutput, server::GetRadarError> {
            Ok(GetRadarOutput::builder()
                .frames(3)
                .image(Blob::new(vec![0x89, b'P', b'N', b'G', 0, 255]))
                .build())
        }

        async fn list_cities(
            &self,
            request: Request<ListCitiesInput>,
        ) -> Result<ListCitiesOutput, server::ListCitiesError> {
            let input = request.into_input();
            let cities = self.cities.lock().unwrap();
            let start = input
                .next_token
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(0);
            let size = input.page_size.unwrap_or(10) as usize;
            let items = cities
                .iter()
                .skip(start)
                .take(size)
                .map(|(id, c)| {
                    CitySummary::builder()
                        .city_id(id)
                        .name(c.name.clone().unwrap())
                        .build()
                        .unwrap()
                })
                .collect::<Vec<_>>();
            let next = (start + size < cities.len()).then(|| (start + size).to_string());
            Ok(ListCitiesOutput::builder()
                .items(items)
                .next_token(next)
                .build()
                .unwrap())
        }

        async fn put_city_notes(
            &self,
            request: Request<PutCityNotesInput>,
        ) -> Result<(), server::PutCityNotesError> {
            let input = request.into_input();
            self.notes
                .lock()
                .unwrap()
                .insert(input.city_id.unwrap(), input.notes);
            Ok(())
        }

        async fn put_report(
            &self,
            request: Request<PutReportInput>,
        ) -> Result<PutReportOutput, server::PutReportError> {
            let input = request.into_input();
            self.reports.lock().unwrap().push(input.clone());
            Ok(PutReportOutput::builder()
                .status(202)
                .etag("\"v1\"")
                .accepted_at(DateTime::from_secs(1_700_000_123))
                .meta_value(input.meta.clone())
                .receipt(
                    Receipt::builder()
                        .report_id(format!(
                            "{}/{}",
                            input.city_id.unwrap(),
                            input.station.unwrap()
                        ))
                        .stored_at(DateTime::from_secs(1_700_000_124))
                        .build()
                        .unwrap(),
                )
                .build())
        }
    }

    pub async fn start() -> (weather::Client, String, Cities) {
        let cities = Cities::default();
        let endpoint = serve(server::router(cities.clone())).await;
        let config = weather::Config::builder()
            .endpoint(&endpoint)
            .bearer_token(StaticIdentity::new("token"))
            .retry(no_retries())
            .build();
        (weather::Client::new(config), endpoint, cities)
    }

    pub fn coordinates() -> CityCoordinates {
        CityCoordinates::builder()
            .latitude(47.6)
            .longitude(-122.3)
            .build()
            .unwrap()
    }

    pub fn is_create_error(e: &CreateCityError) -> &'static str {
        match e {
            CreateCityError::CityAlreadyExists(_) => "exists",
            CreateCityError::ThrottlingError(_) => "throttled",
            _ => "other",
        }
    }

    pub fn is_not_found(e: &GetCityError) -> bool {
        matches!(e, GetCityError::NoSuchResource(r) if r.resource_type == "city")
    }
}

#[tokio::test]
async fn weather_round_trips_every_operation() {
    use weather::types::*;
    use weather_server::*;
    let (client, _, cities) = start().await;

    let created = client
        .create_city()
        .name("Seattle")
        .coordinates(coordinates())
        .tags(vec!["rainy".to_owned(), "coffee".to_owned()])
        .population(750_000)
        .founded(DateTime::from_secs(-3_600_000_000))
        .notes(document(json!({"nickname": "Emerald City", "hills": 7})))
        .mayor_phone("555-0100")
        .send()
        .await
        .unwrap();
    assert_eq!(created.city_id, "seattle");
    let stored = cities.cities.lock().unwrap()[0].1.clone();
    // The default the client need not send is filled in by the server.
    assert_eq!(stored.kind, Some(CityKind::Town));
    assert_eq!(stored.population, Some(750_000));
    assert_eq!(stored.founded, Some(DateTime::from_secs(-3_600_000_000)));
    assert_eq!(stored.tags.as_deref().map(<[_]>::len), Some(2));

    let city = client.get_city().city_id("seattle").send().await.unwrap();
    assert_eq!(city.name, "Seattle");
    assert_eq!(city.coordinates, coordinates());

    let metadata = client
        .get_city_metadata()
        .city_id("seattle")
        .send()
        .await
        .unwrap();
    assert_eq!(
        metadata.metadata,
        Some(document(json!({"nickname": "Emerald City", "hills": 7})))
    );

    let time = client.get_current_time().send().await.unwrap();
    assert_eq!(time.time, DateTime::from_secs(1_700_000_000));

    let forecast = client
        .get_forecast()
        .city_id("seattle")
        .send()
        .await
        .unwrap();
    assert_eq!(forecast.chance_of_rain, Some(0.9));
    let alerts = forecast.alerts.unwrap();
    assert_eq!(alerts.severity, Severity::Warning);
    assert_eq!(alerts.next.unwrap().message, "wind");

    let radar = client.get_radar().city_id("seattle").send().await.unwrap();
    assert_eq!(radar.frames, Some(3));
    assert_eq!(
        radar.image.unwrap().as_bytes(),
        &[0x89, b'P', b'N', b'G', 0, 255]
    );

    for name in ["Tacoma", "Olympia"] {
        client
            .create_city()
            .name(name)
            .coordinates(coordinates())
            .send()
            .await
            .unwrap();
    }
    let page = client.list_cities().page_size(2).send().await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_token.as_deref(), Some("2"));
    let rest = client
        .list_cities()
        .page_size(2)
        .next_token("2")
        .send()
        .await
        .unwrap();
    assert_eq!(rest.items[0].name, "Olympia");
    assert_eq!(rest.next_token, None);

    client
        .put_city_notes()
        .city_id("seattle")
        .notes("bring an umbrella ☔")
        .send()
        .await
        .unwrap();
    client
        .put_city_notes()
        .city_id("tacoma")
        .send()
        .await
        .unwrap();
    let notes = cities.notes.lock().unwrap().clone();
    assert_eq!(notes["seattle"].as_deref(), Some("bring an umbrella ☔"));
    assert_eq!(notes["tacoma"], None);

    // Every request binding, and every response binding back.
    let report = client
        .put_report()
        .city_id("seattle")
        .station("north/roof top")
        .language("en-US")
        .tags(vec!["a b".to_owned(), "c,d".to_owned()])
        .extra(HashMap::from([
            ("source".to_owned(), "sensor&1".to_owned()),
            ("lang".to_owned(), "ignored: httpQuery wins".to_owned()),
        ]))
        .reported_at(DateTime::from_secs(1_700_000_000))
        .flags(vec!["urgent".to_owned(), "has \"quotes\"".to_owned()])
        .priority(-2)
        .meta_value(Some(HashMap::from([(
            "team".to_owned(),
            "blue".to_owned(),
        )])))
        .observation(Observation::Snow(
            SnowReport::builder()
                .depth_cm(12.5)
                .fresh_snow(true)
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(report.status, Some(202));
    assert_eq!(report.etag.as_deref(), Some("\"v1\""));
    assert_eq!(report.accepted_at, Some(DateTime::from_secs(1_700_000_123)));
    assert_eq!(report.meta.unwrap()["team"], "blue");
    let receipt = report.receipt.unwrap();
    assert_eq!(receipt.report_id, "seattle/north/roof top");
    assert_eq!(receipt.stored_at, Some(DateTime::from_secs(1_700_000_124)));
    let received = cities.reports.lock().unwrap()[0].clone();
    assert_eq!(received.station.as_deref(), Some("north/roof top"));
    assert_eq!(received.language.as_deref(), Some("en-US"));
    assert_eq!(
        received.tags,
        Some(vec!["a b".to_owned(), "c,d".to_owned()])
    );
    assert_eq!(
        received.flags,
        Some(vec!["urgent".to_owned(), "has \"quotes\"".to_owned()])
    );
    assert_eq!(received.priority, Some(-2));
    assert_eq!(
        received.reported_at,
        Some(DateTime::from_secs(1_700_000_000))
    );
    assert_eq!(received.meta.unwrap()["team"], "blue");
    // Every query parameter is in the map, the bound and literal ones too.
    let extra = received.extra.unwrap();
    assert_eq!(extra["source"], "sensor&1");
    assert_eq!(extra["lang"], "en-US");
    assert_eq!(extra["format"], "v2");
    match received.observation.unwrap() {
        Observation::Snow(snow) => {
            assert_eq!(snow.depth_cm, 12.5);
            assert_eq!(snow.fresh_snow, Some(true));
        }
        other => panic!("unexpected observation {other:?}"),
    }
}

#[tokio::test]
async fn weather_errors_arrive_typed() {
    use weather::error::{CreateCityError, PutReportError};
    use weather_server::*;
    let (client, endpoint, _) = start().await;
    client
        .create_city()
        .name("Seattle")
        .coordinates(coordinates())
        .send()
        .await
        .unwrap();

    // A modeled error: its @httpError status, its members.
    let exists = client
        .create_city()
        .name("Seattle")
        .coordinates(coordinates())
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(exists.status().http_status(), Some(409));
    assert_eq!(exists.status().code(), Some("CityAlreadyExists"));
    assert!(exists.status().request_id().is_some());
    assert_eq!(is_create_error(&exists), "exists");
    match exists {
        CreateCityError::CityAlreadyExists(e) => {
            assert_eq!(e.message, "already registered");
            assert_eq!(e.existing_city_id.as_deref(), Some("seattle"));
        }
        other => panic!("unexpected {other:?}"),
    }

    // A service-wide error (429), and a rich status the model does not
    // describe, with its metadata as a header.
    let throttled = client
        .create_city()
        .name("Busy")
        .coordinates(coordinates())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        is_create_error(&throttled.into_service_error().unwrap()),
        "throttled"
    );
    let broken = client
        .create_city()
        .name("Broken")
        .coordinates(coordinates())
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    let status = broken.status();
    assert_eq!(status.http_status(), Some(502));
    assert_eq!(status.code(), Some("Broken"));
    assert_eq!(status.message(), Some("the city broke"));
    assert_eq!(status.metadata("x-broken-at"), Some("noon"));

    let missing = client
        .get_city()
        .city_id("atlantis")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(missing.status().http_status(), Some(404));
    assert!(is_not_found(&missing));

    // The label breaks `@pattern`: a ValidationException, before the handler.
    let invalid = client
        .put_report()
        .city_id("not/allowed!")
        .station("x")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    let status = invalid.status();
    assert_eq!(status.http_status(), Some(400));
    assert_eq!(status.code(), Some("ValidationException"));
    assert!(
        status.message().unwrap().contains("/cityId"),
        "{:?}",
        status.message()
    );
    assert!(matches!(invalid, PutReportError::Unhandled(_)));

    // What never reaches a handler, over raw HTTP.
    let http = reqwest_like(&endpoint);
    let json = [("content-type", "application/json")];
    let (code, headers, body) = http.send("POST", "/cities", &json, b"{not json").await;
    assert_eq!(code, 400);
    assert_eq!(headers["x-amzn-errortype"], "SerializationException");
    assert!(body.contains("could not be read"), "{body}");
    let (code, headers, _) = http
        .send(
            "POST",
            "/cities",
            &json,
            br#"{"coordinates": {"latitude": 1}}"#,
        )
        .await;
    assert_eq!(code, 400);
    assert_eq!(headers["x-amzn-errortype"], "ValidationException");
    let (code, _, body) = http
        .send(
            "POST",
            "/cities",
            &json,
            br#"{"name": "X", "coordinates": {"latitude": 1}}"#,
        )
        .await;
    assert_eq!(code, 400);
    assert!(body.contains("/coordinates/longitude"), "{body}");
    // A body of another media type, or an answer the caller does not
    // accept.
    let (code, headers, _) = http
        .send(
            "POST",
            "/cities",
            &[("content-type", "text/xml")],
            b"<city/>",
        )
        .await;
    assert_eq!(code, 415);
    assert_eq!(headers["x-amzn-errortype"], "UnsupportedMediaTypeException");
    let (code, headers, _) = http
        .send(
            "GET",
            "/cities/seattle",
            &[("accept", "text/html, image/*")],
            b"",
        )
        .await;
    assert_eq!(code, 406);
    assert_eq!(headers["x-amzn-errortype"], "NotAcceptableException");
    let (code, _, _) = http
        .send(
            "GET",
            "/cities/seattle",
            &[("accept", "text/html, application/*;q=0.5")],
            b"",
        )
        .await;
    assert_eq!(code, 200);
    let (code, headers, _) = http.send("GET", "/nowhere", &[], b"").await;
    assert_eq!(code, 404);
    assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
    let (code, _, _) = http.send("DELETE", "/cities", &[], b"").await;
    assert_eq!(code, 405);
    // The literal query parameter routes: without it, no operation.
    let (code, _, _) = http
        .send("PUT", "/cities/seattle/reports/north", &[], b"")
        .await;
    assert_eq!(code, 404);
    let (code, _, _) = http.send("GET", "/cities/seattle/forecast", &[], b"").await;
    assert_eq!(code, 200);
    // A header that does not parse is a malformed request.
    let (code, headers, _) = http
        .send(
            "PUT",
            "/cities/seattle/reports/north?format=v2",
            &[("x-priority", "high")],
            b"",
        )
        .await;
    assert_eq!(code, 400);
    assert_eq!(headers["x-amzn-errortype"], "SerializationException");
}

/// A minimal raw HTTP client over hyper, for requests no generated client
/// would send.
fn reqwest_like(endpoint: &str) -> RawClient {
    RawClient {
        endpoint: endpoint.to_owned(),
    }
}

struct RawClient {
    endpoint: String,
}

impl RawClient {
    async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &'static [u8],
    ) -> (u16, HashMap<String, String>, String) {
        use http_body_util::BodyExt;
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http::<http_body_util::Full<bytes::Bytes>>();
        let mut request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.endpoint));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(http_body_util::Full::new(bytes::Bytes::from_static(body)))
            .unwrap();
        let response = client.request(request).await.unwrap();
        let code = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (code, headers, String::from_utf8_lossy(&body).into_owned())
    }
}

mod bindings_server {
    use super::*;
    use odd_bindings::server::{self, OddBindings};
    use odd_bindings::types::*;

    /// Echoes what it can, and keeps each input it received; the test
    /// keeps a clone to look inside.
    #[derive(Clone, Default)]
    pub struct Echo(std::sync::Arc<Received>);

    impl std::ops::Deref for Echo {
        type Target = Received;

        fn deref(&self) -> &Received {
            &self.0
        }
    }

    #[derive(Default)]
    pub struct Received {
        pub labels: Mutex<Vec<LabelsInput>>,
        pub headers: Mutex<Vec<HeadersInput>>,
        pub queries: Mutex<Vec<QueriesInput>>,
        pub propfind: Mutex<Vec<PropfindInput>>,
    }

    impl OddBindings for Echo {
        async fn labels(&self, request: Request<LabelsInput>) -> Result<(), server::LabelsError> {
            self.labels.lock().unwrap().push(request.into_input());
            Ok(())
        }

        async fn headers(
            &self,
            request: Request<HeadersInput>,
        ) -> Result<HeadersOutput, server::HeadersError> {
            let input = request.into_input();
            self.headers.lock().unwrap().push(input.clone());
            Ok(HeadersOutput::builder()
                .s(input.s)
                .m(input.m)
                .i(input.i)
                .t(input.t)
                .ie(input.ie)
                .bi(input.bi)
                .ls(input.ls)
                .lt(input.lt)
                .le(input.le)
                .meta_value(input.meta)
                .code(203)
                .build())
        }

        async fn queries(
            &self,
            request: Request<QueriesInput>,
        ) -> Result<(), server::QueriesError> {
            self.queries.lock().unwrap().push(request.into_input());
            Ok(())
        }

        async fn structure_payload(
            &self,
            request: Request<StructurePayloadInput>,
        ) -> Result<StructurePayloadOutput, server::StructurePayloadError> {
            Ok(StructurePayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn union_payload(
            &self,
            request: Request<UnionPayloadInput>,
        ) -> Result<UnionPayloadOutput, server::UnionPayloadError> {
            Ok(UnionPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn document_payload(
            &self,
            request: Request<DocumentPayloadInput>,
        ) -> Result<DocumentPayloadOutput, server::DocumentPayloadError> {
            Ok(DocumentPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn list_payload(
            &self,
            request: Request<ListPayloadInput>,
        ) -> Result<ListPayloadOutput, server::ListPayloadError> {
            Ok(ListPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn map_payload(
            &self,
            request: Request<MapPayloadInput>,
        ) -> Result<MapPayloadOutput, server::MapPayloadError> {
            Ok(MapPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn text_payload(
            &self,
            request: Request<TextPayloadInput>,
        ) -> Result<TextPayloadOutput, server::TextPayloadError> {
            Ok(TextPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn enum_payload(
            &self,
            request: Request<EnumPayloadInput>,
        ) -> Result<EnumPayloadOutput, server::EnumPayloadError> {
            Ok(EnumPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn blob_payload(
            &self,
            request: Request<BlobPayloadInput>,
        ) -> Result<BlobPayloadOutput, server::BlobPayloadError> {
            Ok(BlobPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn integer_payload(
            &self,
            request: Request<IntegerPayloadInput>,
        ) -> Result<IntegerPayloadOutput, server::IntegerPayloadError> {
            Ok(IntegerPayloadOutput::builder()
                .body(request.into_input().body)
                .build())
        }

        async fn propfind(
            &self,
            request: Request<PropfindInput>,
        ) -> Result<(), server::PropfindError> {
            self.propfind.lock().unwrap().push(request.into_input());
            Ok(())
        }

        async fn no_io(&self, _request: Request<()>) -> Result<(), server::NoIoError> {
            Ok(())
        }

        async fn enum_bindings(
            &self,
            request: Request<EnumBindingsInput>,
        ) -> Result<EnumBindingsOutput, server::EnumBindingsError> {
            Ok(EnumBindingsOutput::builder()
                .colors(request.into_input().colors)
                .status(odd_bindings::types::Status::Created)
                .build())
        }

        async fn required_tokens(
            &self,
            _request: Request<TokenInput>,
        ) -> Result<(), server::RequiredTokensError> {
            Ok(())
        }
    }
}

#[tokio::test]
async fn every_binding_reaches_the_handler_as_sent() {
    use odd_bindings::types::*;
    let echo = bindings_server::Echo::default();
    let endpoint = serve(odd_bindings::server::router(echo.clone())).await;
    let client = odd_bindings::Client::new(
        tinsmith_runtime::Config::builder()
            .endpoint(&endpoint)
            .retry(no_retries())
            .build(),
    );
    let t = DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000);

    client
        .labels()
        .s("a b/c%d?")
        .i(-7)
        .b(true)
        .t(DateTime::from_secs(1_700_000_000))
        .f(1.5)
        .e(Color::Blue)
        .ie(Level::High)
        .l(i64::MIN)
        .bi("123456789012345678901234567890"
            .parse::<BigInteger>()
            .unwrap())
        .bd("-1.25e-40".parse::<BigDecimal>().unwrap())
        .d(f64::INFINITY)
        .greedy("x/y z/ü")
        .send()
        .await
        .unwrap();
    let labels = echo.labels.lock().unwrap()[0].clone();
    assert_eq!(labels.s.as_deref(), Some("a b/c%d?"));
    assert_eq!(labels.i, Some(-7));
    assert_eq!(labels.b, Some(true));
    assert_eq!(labels.t, Some(DateTime::from_secs(1_700_000_000)));
    assert_eq!(labels.f, Some(1.5));
    assert_eq!(labels.e, Some(Color::Blue));
    assert_eq!(labels.ie, Some(Level::High));
    assert_eq!(labels.l, Some(i64::MIN));
    assert_eq!(
        labels.bi.unwrap().as_str(),
        "123456789012345678901234567890"
    );
    assert_eq!(labels.bd.unwrap().as_str(), "-1.25e-40");
    assert_eq!(labels.d, Some(f64::INFINITY));
    assert_eq!(labels.greedy.as_deref(), Some("x/y z/ü"));

    let headers = client
        .headers()
        .s("inner  spaces, and a comma")
        .m(r#"{"json": true}"#)
        .i(i32::MAX)
        .by(-128)
        .sh(300)
        .b(false)
        .t(DateTime::from_secs(1_700_000_000))
        .td(t)
        .f(f32::NAN)
        .e(Color::Red)
        .ie(Level::Low)
        .bi("-99".parse::<BigInteger>().unwrap())
        .ls(vec!["a".to_owned(), "b, c".to_owned(), "\"q\"".to_owned()])
        .lt(vec![
            DateTime::from_secs(0),
            DateTime::from_secs(1_700_000_000),
        ])
        .li(vec![1, -2, 3])
        .le(vec![Color::Blue, Color::Red])
        .meta_value(Some(HashMap::from([
            ("one".to_owned(), "1".to_owned()),
            ("two".to_owned(), "2".to_owned()),
        ])))
        .send()
        .await
        .unwrap();
    let sent = echo.headers.lock().unwrap()[0].clone();
    assert_eq!(sent.s.as_deref(), Some("inner  spaces, and a comma"));
    assert_eq!(sent.m.as_deref(), Some(r#"{"json": true}"#));
    assert_eq!(sent.i, Some(i32::MAX));
    assert_eq!(sent.by, Some(-128));
    assert_eq!(sent.sh, Some(300));
    assert_eq!(sent.b, Some(false));
    assert_eq!(sent.td, Some(t));
    assert!(sent.f.unwrap().is_nan());
    assert_eq!(sent.e, Some(Color::Red));
    assert_eq!(sent.li, Some(vec![1, -2, 3]));
    assert_eq!(
        sent.ls,
        Some(vec!["a".to_owned(), "b, c".to_owned(), "\"q\"".to_owned()])
    );
    assert_eq!(sent.meta.as_ref().unwrap().len(), 2);
    // And back: the response binds the same headers, and the status code.
    assert_eq!(headers.code, Some(203));
    assert_eq!(headers.s, sent.s);
    assert_eq!(headers.m, sent.m);
    assert_eq!(headers.t, Some(DateTime::from_secs(1_700_000_000)));
    assert_eq!(headers.ie, Some(Level::Low));
    assert_eq!(headers.bi.unwrap().as_str(), "-99");
    assert_eq!(headers.ls, sent.ls);
    assert_eq!(headers.lt, sent.lt);
    assert_eq!(headers.le, Some(vec![Color::Blue, Color::Red]));
    assert_eq!(headers.meta, sent.meta);

    client
        .queries()
        .s("&=+ %")
        .i(0)
        .t(t)
        .th(DateTime::from_secs(1_700_000_000))
        .e(Color::Blue)
        .ls(vec!["x".to_owned(), "y".to_owned()])
        .lt(vec![DateTime::from_secs(1)])
        .li(vec![4, 5])
        .all(HashMap::from([(
            "free".to_owned(),
            vec!["1".to_owned(), "2".to_owned()],
        )]))
        .send()
        .await
        .unwrap();
    let queries = echo.queries.lock().unwrap()[0].clone();
    assert_eq!(queries.s.as_deref(), Some("&=+ %"));
    assert_eq!(queries.i, Some(0));
    assert_eq!(queries.t, Some(t));
    assert_eq!(queries.th, Some(DateTime::from_secs(1_700_000_000)));
    assert_eq!(queries.e, Some(Color::Blue));
    assert_eq!(queries.ls, Some(vec!["x".to_owned(), "y".to_owned()]));
    assert_eq!(queries.li, Some(vec![4, 5]));
    let all = queries.all.unwrap();
    assert_eq!(all["free"], vec!["1".to_owned(), "2".to_owned()]);
    assert_eq!(all["fixed"], vec!["1".to_owned()]);

    let point = Point::builder().x(1).y(-2).build();
    let echoed = client
        .structure_payload()
        .body(point.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.body, Some(point.clone()));
    // An unset structure payload goes as `{}`, which a server reads as
    // unset (as Smithy's suite has it), and comes back as no body.
    let echoed = client.structure_payload().send().await.unwrap();
    assert_eq!(echoed.body, None);
    for shape in [
        Shape::Point(point.clone()),
        Shape::Label("hi".to_owned()),
        Shape::Empty,
    ] {
        let echoed = client
            .union_payload()
            .body(shape.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(echoed.body, Some(shape));
    }
    let document = document(json!({"a": [1, 2.5, null, "x"], "b": {"c": false}}));
    let echoed = client
        .document_payload()
        .body(document.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.body, Some(document));
    let echoed = client
        .list_payload()
        .body(vec![point.clone(), Point::builder().build()])
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.body.unwrap().len(), 2);
    let echoed = client
        .map_payload()
        .body(HashMap::from([("p".to_owned(), point.clone())]))
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.body.unwrap()["p"], point);
    let echoed = client
        .text_payload()
        .body(r#"{"raw": "text"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.body.as_deref(), Some(r#"{"raw": "text"}"#));
    let echoed = client.enum_payload().body(Color::Red).send().await.unwrap();
    assert_eq!(echoed.body, Some(Color::Red));
    let bytes: Vec<u8> = (0..=255).collect();
    let echoed = client
        .blob_payload()
        .body(Blob::new(bytes.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.body.unwrap().as_bytes(), &bytes[..]);
    let echoed = client.blob_payload().send().await.unwrap();
    assert_eq!(echoed.body, None);
    let echoed = client.integer_payload().body(-42).send().await.unwrap();
    assert_eq!(echoed.body, Some(-42));

    // An extension method and a greedy label, whose trailing `/` is its
    // own (a key such as `roots/`).
    client
        .propfind()
        .path("dav/ roots/")
        .depth("1")
        .send()
        .await
        .unwrap();
    let propfind = echo.propfind.lock().unwrap()[0].clone();
    assert_eq!(propfind.path.as_deref(), Some("dav/ roots/"));
    assert_eq!(propfind.depth.as_deref(), Some("1"));
    client.no_io().send().await.unwrap();

    // The host label makes the client call `red.127.0.0.1`, which does
    // not resolve: the same request, sent to the plain host.
    let (code, headers, body) = reqwest_like(&endpoint)
        .send(
            "POST",
            "/enums",
            &[("x-color-b", "blue"), ("content-type", "application/json")],
            br#"{"region": "red", "token": "blue"}"#,
        )
        .await;
    assert_eq!(code, 201, "{body}");
    assert_eq!(headers["x-color-b"], "blue");
    client
        .required_tokens()
        .token("t-1")
        .color_token(Color::Red)
        .send()
        .await
        .unwrap();
}
