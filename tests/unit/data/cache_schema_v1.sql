-- Cache schema version 1 (the first release), kept to test upgrades from it.

CREATE TABLE audit_events (
	id BLOB NOT NULL, 
	at BIGINT NOT NULL, 
	actor VARCHAR(100) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	entity VARCHAR(32) NOT NULL, 
	entity_id BLOB NOT NULL, 
	details JSON NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_audit_events_at ON audit_events (at);

CREATE TABLE customers (
	id BLOB NOT NULL, 
	first_name VARCHAR(200) NOT NULL, 
	last_name VARCHAR(200) NOT NULL, 
	middle_name VARCHAR(200) NOT NULL, 
	name_key VARCHAR(600) NOT NULL, 
	phones JSON NOT NULL, 
	emails JSON NOT NULL, 
	language VARCHAR(16) NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	birthday INTEGER, 
	customer_since INTEGER, 
	channel_of_origin VARCHAR(16) NOT NULL, 
	tier VARCHAR(16) NOT NULL, 
	segment VARCHAR(32) NOT NULL, 
	tags JSON NOT NULL, 
	consent_channels JSON NOT NULL, 
	consent_marketing BOOLEAN NOT NULL, 
	historical_clv BIGINT NOT NULL, 
	predicted_clv BIGINT, 
	p_alive FLOAT, 
	value_segment VARCHAR(32), 
	last_csat INTEGER, 
	last_nps INTEGER, 
	open_complaints INTEGER NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_customers_name_key ON customers (name_key);

CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE outbox (
	seq INTEGER NOT NULL, 
	mutation_id BLOB NOT NULL, 
	entity VARCHAR(32) NOT NULL, 
	entity_id BLOB NOT NULL, 
	op VARCHAR(16) NOT NULL, 
	base_version INTEGER, 
	data JSON NOT NULL, 
	created_at BIGINT NOT NULL, 
	attempts INTEGER NOT NULL, 
	last_error TEXT, 
	PRIMARY KEY (seq), 
	UNIQUE (mutation_id)
);

CREATE TABLE products (
	id BLOB NOT NULL, 
	sku VARCHAR(64) NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	category VARCHAR(100) NOT NULL, 
	price BIGINT NOT NULL, 
	successor_id BLOB, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	UNIQUE (sku), 
	FOREIGN KEY(successor_id) REFERENCES products (id)
);

CREATE TABLE sync_state (
	id INTEGER NOT NULL, 
	cursor INTEGER NOT NULL, 
	last_sync_at BIGINT, 
	server_url VARCHAR(500), 
	username VARCHAR(100), 
	PRIMARY KEY (id)
);

CREATE TABLE upsell_rules (
	id BLOB NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	definition JSON NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id)
);

CREATE TABLE users (
	id BLOB NOT NULL, 
	username VARCHAR(100) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);

CREATE TABLE conversations (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	topic VARCHAR(300) NOT NULL, 
	assignee VARCHAR(100), 
	opened_at BIGINT NOT NULL, 
	first_response_at BIGINT, 
	resolved_at BIGINT, 
	next_follow_up_at BIGINT, 
	last_inbound_at BIGINT, 
	last_outbound_at BIGINT, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

CREATE INDEX ix_conversations_customer_ts ON conversations (customer_id, opened_at, id);

CREATE INDEX ix_conversations_follow_up ON conversations (next_follow_up_at);

CREATE INDEX ix_conversations_status_ts ON conversations (status, opened_at);

CREATE TABLE coverages (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	product_id BLOB NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	contract_number VARCHAR(64) NOT NULL, 
	starts INTEGER NOT NULL, 
	ends INTEGER NOT NULL, 
	auto_renew BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	FOREIGN KEY(product_id) REFERENCES products (id), 
	UNIQUE (contract_number)
);

CREATE INDEX ix_coverages_customer_id ON coverages (customer_id);

CREATE INDEX ix_coverages_ends ON coverages (ends);

CREATE TABLE customer_phones (
	e164 VARCHAR(32) NOT NULL, 
	customer_id BLOB NOT NULL, 
	PRIMARY KEY (e164, customer_id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

CREATE INDEX ix_customer_phones_customer_id ON customer_phones (customer_id);

CREATE TABLE interests (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	product_id BLOB NOT NULL, 
	stage VARCHAR(16) NOT NULL, 
	last_activity_at BIGINT NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	FOREIGN KEY(product_id) REFERENCES products (id)
);

CREATE INDEX ix_interests_customer_id ON interests (customer_id);

CREATE TABLE notes (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	body TEXT NOT NULL, 
	created_at BIGINT NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

CREATE INDEX ix_notes_customer_ts ON notes (customer_id, created_at, id);

CREATE TABLE offers (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	product_id BLOB, 
	reason_code VARCHAR(64) NOT NULL, 
	explanation TEXT NOT NULL, 
	score FLOAT NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	outcome_reason TEXT NOT NULL, 
	by_user VARCHAR(100) NOT NULL, 
	at BIGINT NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	FOREIGN KEY(product_id) REFERENCES products (id)
);

CREATE INDEX ix_offers_customer_ts ON offers (customer_id, at, id);

CREATE TABLE orders (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	number VARCHAR(64) NOT NULL, 
	ordered_at BIGINT NOT NULL, 
	amount BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	UNIQUE (number)
);

CREATE INDEX ix_orders_customer_ts ON orders (customer_id, ordered_at, id);

CREATE TABLE messages (
	id BLOB NOT NULL, 
	conversation_id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	direction VARCHAR(3) NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	body TEXT NOT NULL, 
	sent_at BIGINT NOT NULL, 
	attachments JSON NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE, 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

CREATE INDEX ix_messages_conversation_id ON messages (conversation_id);

CREATE INDEX ix_messages_customer_ts ON messages (customer_id, sent_at, id);

CREATE TABLE order_lines (
	id BLOB NOT NULL, 
	order_id BLOB NOT NULL, 
	product_id BLOB NOT NULL, 
	quantity INTEGER NOT NULL, 
	amount BIGINT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	FOREIGN KEY(product_id) REFERENCES products (id)
);

CREATE INDEX ix_order_lines_order_id ON order_lines (order_id);

CREATE TABLE surveys (
	id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	conversation_id BLOB, 
	kind VARCHAR(8) NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	token VARCHAR(64), 
	sent_at BIGINT NOT NULL, 
	score INTEGER, 
	comment TEXT NOT NULL, 
	answered_at BIGINT, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE SET NULL
);

CREATE INDEX ix_surveys_customer_ts ON surveys (customer_id, sent_at, id);

CREATE TABLE review_cases (
	id BLOB NOT NULL, 
	survey_id BLOB NOT NULL, 
	customer_id BLOB NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	assignee VARCHAR(100), 
	opened_at BIGINT NOT NULL, 
	actions JSON NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at BIGINT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(survey_id) REFERENCES surveys (id) ON DELETE CASCADE, 
	FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
);

CREATE INDEX ix_review_cases_customer_id ON review_cases (customer_id);

CREATE INDEX ix_review_cases_status ON review_cases (status);
