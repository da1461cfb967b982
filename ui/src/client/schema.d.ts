// Generated from the API's OpenAPI document by `npm run ui:api`; do not edit.
// tests/ui/api-types.test.ts fails when it is out of date.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the database and Temporal are reachable */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok" | "degraded";
                            /** @enum {string} */
                            database: "ok" | "unreachable" | "timeout";
                            /** @enum {string} */
                            temporal: "ok" | "unreachable" | "timeout";
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok" | "degraded";
                            /** @enum {string} */
                            database: "ok" | "unreachable" | "timeout";
                            /** @enum {string} */
                            temporal: "ok" | "unreachable" | "timeout";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of this API process (and of its in-process worker, if any)
         * @description Prometheus text format: request durations by route (webhook acknowledgements), the webhook inbox backlog and forwarding, the process (RSS, heap, event loop) and, where this process runs a worker, the Temporal SDK runtime metrics. Workers serve the same on WORKER_METRICS_PORT.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/wechat_shop/{shopId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Answer WeChat’s check of a Channels shop’s push URL (消息推送 settings)
         * @description WeChat sends signature, timestamp and nonce (msg_signature in safe mode) with echostr; the answer is echostr (decrypted in safe mode) when the signature is the shop’s push Token’s, else 401.
         */
        get: {
            parameters: {
                query?: {
                    signature?: string;
                    msg_signature?: string;
                    timestamp?: string;
                    nonce?: string;
                    echostr?: string;
                    encrypt_type?: string;
                };
                header?: never;
                path: {
                    shopId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{platform}/{shopId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a platform push (order created/changed, refund) in the platform’s own format
         * @description Verified with the platform’s signature over the raw body (Shopify X-Shopify-Hmac-Sha256, WooCommerce X-WC-Webhook-Signature, Douyin event-sign, Shopee, Lazada, TikTok Shop and AliExpress Authorization, Xiaohongshu sign, WeChat Channels shop signature / msg_signature in the query, eBay X-EBAY-SIGNATURE (ECDSA under eBay’s public key), Walmart the subscription’s Basic credentials, Mercado Libre the secret in the registered callback URL, Youzan Event-Sign, Kuaishou by encryption, own stores X-Erp-Hmac-Sha256 — see docs/own-store-push.md). Taobao/Tmall, PDD, JD, Amazon, Weidian, 1688, Temu and Dewu have no HTTP push: their shops are polled.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    platform: string;
                    shopId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schemas/order-push.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** JSON Schema of the normalized order push body */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schemas/fulfilment-callback.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** JSON Schema of the fulfilment callback the ERP posts to an own store */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/own/{shopId}/after-sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Receive an after-sales case from an own store (our format, signed X-Erp-Hmac-Sha256) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    shopId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schemas/after-sale-push.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** JSON Schema of the after-sales case an own store pushes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/payments/alipay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Alipay asynchronous notification (RSA2-verified); answers "success" */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/payments/wechatpay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** WeChat Pay REFUND.* notification (signature verified, AEAD_AES_256_GCM resource) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List after-sales cases, newest first (filters: shop, kind, status, age, seller deadline) */
        get: {
            parameters: {
                query?: {
                    /** @description only rows whose deadline falls within the next N hours (not yet passed) */
                    dueWithinHours?: number;
                    /** @description `true`: only rows whose deadline has passed and whose work is not done */
                    overdue?: "true" | "false";
                    shopId?: string;
                    kind?: "refund_only" | "return_refund" | "exchange" | "reship" | "price_difference";
                    status?: "open" | "returning" | "exchanging" | "exchanged" | "reshipped" | "refunding" | "refunded" | "refused" | "closed" | "needs_person";
                    minAgeHours?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cases: {
                                id: string;
                                platform: string;
                                shopId: string;
                                platformCaseId: string;
                                orderId: string;
                                kind: string;
                                status: string;
                                reason: string;
                                requestedFen: number;
                                agreedFen: number | null;
                                refundedFen: number;
                                paymentChannel: string | null;
                                waitingFor: string | null;
                                outcome: string | null;
                                openedAt: string;
                                updatedAt: string;
                                platformStatus: string | null;
                                sellerDeadline: string | null;
                                escalatedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sales/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The after-sales reviewer queue: open cases waiting for a decision or for finance to approve a refund above the shop limit; escalated seller deadlines first, then the nearest deadline, then oldest */
        get: {
            parameters: {
                query?: {
                    shopId?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cases: {
                                id: string;
                                platform: string;
                                shopId: string;
                                platformCaseId: string;
                                orderId: string;
                                kind: string;
                                status: string;
                                reason: string;
                                requestedFen: number;
                                agreedFen: number | null;
                                refundedFen: number;
                                paymentChannel: string | null;
                                waitingFor: string | null;
                                outcome: string | null;
                                openedAt: string;
                                updatedAt: string;
                                platformStatus: string | null;
                                sellerDeadline: string | null;
                                escalatedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sales/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One after-sales case: projection, lines, timeline, refunds and the workflow’s live state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            case: {
                                id: string;
                                platform: string;
                                shopId: string;
                                platformCaseId: string;
                                orderId: string;
                                kind: string;
                                status: string;
                                reason: string;
                                requestedFen: number;
                                agreedFen: number | null;
                                refundedFen: number;
                                paymentChannel: string | null;
                                waitingFor: string | null;
                                outcome: string | null;
                                openedAt: string;
                                updatedAt: string;
                                platformStatus: string | null;
                                sellerDeadline: string | null;
                                escalatedAt: string | null;
                            };
                            lines: {
                                lineId: string;
                                quantity: number;
                                requestedFen: number;
                                exchangeSku: string | null;
                            }[];
                            refunds: {
                                refundNo: string;
                                channel: string;
                                amountFen: number;
                                state: string;
                                detail: string | null;
                            }[];
                            timeline: {
                                step: string;
                                stage: string;
                                status: string;
                                actor: string;
                                detail: {
                                    [key: string]: unknown;
                                };
                                at: string;
                            }[];
                            returnParcel: {
                                source: string | null;
                                carrierCode: string | null;
                                carrierName: {
                                    zh: string;
                                    en: string;
                                } | null;
                                trackingNo: string | null;
                                status: string;
                                trackingStatus: string | null;
                                trackedAt: string | null;
                                receivedAt: string | null;
                                scans: {
                                    at: string;
                                    status: string;
                                    description: string;
                                    location: string | null;
                                    source: string | null;
                                    /** @enum {string} */
                                    via: "push" | "poll";
                                }[];
                            } | null;
                            state: {
                                status: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                agreedFen: number | null;
                                refundedFen: number;
                                refund: {
                                    refundNo: string;
                                    state: string;
                                    amountFen: number;
                                } | null;
                                decisions: {
                                    decision: string;
                                    actor: string;
                                    at: string;
                                    amountFen?: number;
                                    reason?: string;
                                    note?: string;
                                }[];
                                audit: {
                                    /** @enum {string} */
                                    verdict: "agree" | "hold" | "person";
                                    agreedBy: string | null;
                                    holds: {
                                        ruleId: string;
                                        reason: string;
                                        clearedBy: string;
                                        detail: string;
                                    }[];
                                } | null;
                                financeLimit?: {
                                    aboveMinor: number;
                                    currency: string;
                                    rate: string | null;
                                    aboveFen: number;
                                };
                                retry: {
                                    /** @enum {string} */
                                    step: "refund";
                                    refundNo: string | null;
                                    /** @enum {string} */
                                    number: "same" | "new";
                                    retries: number;
                                } | null;
                                skuSwap: {
                                    bought: string;
                                    wanted: string;
                                } | null;
                                exchangeChoices: ("refuse" | "refund")[];
                                returnParcel: {
                                    source: string | null;
                                    carrierCode: string | null;
                                    trackingNo: string | null;
                                    status: string;
                                    tracking?: string;
                                    /** @enum {string} */
                                    followedBy?: "push" | "poll" | "none";
                                    scannedAt?: string;
                                    attention?: {
                                        /** @enum {string} */
                                        kind: "stalled" | "unreceived" | "overdue";
                                        since: string;
                                    } | null;
                                } | null;
                                refundApproval: {
                                    limit: {
                                        aboveMinor: number;
                                        currency: string;
                                        rate: string | null;
                                        aboveFen: number;
                                    };
                                    amountMinor: number | null;
                                    /** @enum {string} */
                                    state: "not_needed" | "waiting" | "approved" | "rejected";
                                    by: string | null;
                                    at: string | null;
                                    reason?: string;
                                } | null;
                            } | null;
                            stateError: string | null;
                            temporal: {
                                workflowId: string;
                                url: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sales/{id}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide an open case: agree, agree to part (amountFen), refuse with a reason, ask the buyer for evidence (note), or turn an exchange into a refund (where state.exchangeChoices offers it)
         * @description Customer service decides; an agreed amount above AFTER_SALE_FINANCE_ABOVE_FEN needs finance as well. 422 for an amount above the request, 409 when the case takes no decision now, 403 for the wrong role. Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        decision: "agree";
                        note?: string;
                        replacements?: {
                            lineId: string;
                            skuCode: string;
                        }[];
                    } | {
                        /** @enum {string} */
                        decision: "partial";
                        amountFen: number;
                        note?: string;
                    } | {
                        /** @enum {string} */
                        decision: "refuse";
                        reason: string;
                    } | {
                        /** @enum {string} */
                        decision: "evidence";
                        note: string;
                    } | {
                        /** @enum {string} */
                        decision: "refund";
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                status: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                agreedFen: number | null;
                                refundedFen: number;
                                refund: {
                                    refundNo: string;
                                    state: string;
                                    amountFen: number;
                                } | null;
                                decisions: {
                                    decision: string;
                                    actor: string;
                                    at: string;
                                    amountFen?: number;
                                    reason?: string;
                                    note?: string;
                                }[];
                                audit: {
                                    /** @enum {string} */
                                    verdict: "agree" | "hold" | "person";
                                    agreedBy: string | null;
                                    holds: {
                                        ruleId: string;
                                        reason: string;
                                        clearedBy: string;
                                        detail: string;
                                    }[];
                                } | null;
                                financeLimit?: {
                                    aboveMinor: number;
                                    currency: string;
                                    rate: string | null;
                                    aboveFen: number;
                                };
                                retry: {
                                    /** @enum {string} */
                                    step: "refund";
                                    refundNo: string | null;
                                    /** @enum {string} */
                                    number: "same" | "new";
                                    retries: number;
                                } | null;
                                skuSwap: {
                                    bought: string;
                                    wanted: string;
                                } | null;
                                exchangeChoices: ("refuse" | "refund")[];
                                returnParcel: {
                                    source: string | null;
                                    carrierCode: string | null;
                                    trackingNo: string | null;
                                    status: string;
                                    tracking?: string;
                                    /** @enum {string} */
                                    followedBy?: "push" | "poll" | "none";
                                    scannedAt?: string;
                                    attention?: {
                                        /** @enum {string} */
                                        kind: "stalled" | "unreceived" | "overdue";
                                        since: string;
                                    } | null;
                                } | null;
                                refundApproval: {
                                    limit: {
                                        aboveMinor: number;
                                        currency: string;
                                        rate: string | null;
                                        aboveFen: number;
                                    };
                                    amountMinor: number | null;
                                    /** @enum {string} */
                                    state: "not_needed" | "waiting" | "approved" | "rejected";
                                    by: string | null;
                                    at: string | null;
                                    reason?: string;
                                } | null;
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sales/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a case's stuck refund again, once whatever stopped it was put right
         * @description A refund the payment channel refused or closed goes again under a new refund number; one not sent or ABNORMAL is read back under the same number first, so money never moves twice. Customer service or finance; 409 when the case has no stuck step (`state.retry` is null). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                status: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                agreedFen: number | null;
                                refundedFen: number;
                                refund: {
                                    refundNo: string;
                                    state: string;
                                    amountFen: number;
                                } | null;
                                decisions: {
                                    decision: string;
                                    actor: string;
                                    at: string;
                                    amountFen?: number;
                                    reason?: string;
                                    note?: string;
                                }[];
                                audit: {
                                    /** @enum {string} */
                                    verdict: "agree" | "hold" | "person";
                                    agreedBy: string | null;
                                    holds: {
                                        ruleId: string;
                                        reason: string;
                                        clearedBy: string;
                                        detail: string;
                                    }[];
                                } | null;
                                financeLimit?: {
                                    aboveMinor: number;
                                    currency: string;
                                    rate: string | null;
                                    aboveFen: number;
                                };
                                retry: {
                                    /** @enum {string} */
                                    step: "refund";
                                    refundNo: string | null;
                                    /** @enum {string} */
                                    number: "same" | "new";
                                    retries: number;
                                } | null;
                                skuSwap: {
                                    bought: string;
                                    wanted: string;
                                } | null;
                                exchangeChoices: ("refuse" | "refund")[];
                                returnParcel: {
                                    source: string | null;
                                    carrierCode: string | null;
                                    trackingNo: string | null;
                                    status: string;
                                    tracking?: string;
                                    /** @enum {string} */
                                    followedBy?: "push" | "poll" | "none";
                                    scannedAt?: string;
                                    attention?: {
                                        /** @enum {string} */
                                        kind: "stalled" | "unreceived" | "overdue";
                                        since: string;
                                    } | null;
                                } | null;
                                refundApproval: {
                                    limit: {
                                        aboveMinor: number;
                                        currency: string;
                                        rate: string | null;
                                        aboveFen: number;
                                    };
                                    amountMinor: number | null;
                                    /** @enum {string} */
                                    state: "not_needed" | "waiting" | "approved" | "rejected";
                                    by: string | null;
                                    at: string | null;
                                    reason?: string;
                                } | null;
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sales/{id}/approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve (or reject with a reason) a marketplace refund waiting above the shop's approval limit
         * @description A refund agreed above the shop setting refundApprovalAboveFen goes to the platform only once finance approves it; a rejection gives the case to a person. Finance only (403 otherwise); 409 when no refund waits for approval; once per Idempotency-Key. Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        decision: "approve";
                        note?: string;
                    } | {
                        /** @enum {string} */
                        decision: "reject";
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                status: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                agreedFen: number | null;
                                refundedFen: number;
                                refund: {
                                    refundNo: string;
                                    state: string;
                                    amountFen: number;
                                } | null;
                                decisions: {
                                    decision: string;
                                    actor: string;
                                    at: string;
                                    amountFen?: number;
                                    reason?: string;
                                    note?: string;
                                }[];
                                audit: {
                                    /** @enum {string} */
                                    verdict: "agree" | "hold" | "person";
                                    agreedBy: string | null;
                                    holds: {
                                        ruleId: string;
                                        reason: string;
                                        clearedBy: string;
                                        detail: string;
                                    }[];
                                } | null;
                                financeLimit?: {
                                    aboveMinor: number;
                                    currency: string;
                                    rate: string | null;
                                    aboveFen: number;
                                };
                                retry: {
                                    /** @enum {string} */
                                    step: "refund";
                                    refundNo: string | null;
                                    /** @enum {string} */
                                    number: "same" | "new";
                                    retries: number;
                                } | null;
                                skuSwap: {
                                    bought: string;
                                    wanted: string;
                                } | null;
                                exchangeChoices: ("refuse" | "refund")[];
                                returnParcel: {
                                    source: string | null;
                                    carrierCode: string | null;
                                    trackingNo: string | null;
                                    status: string;
                                    tracking?: string;
                                    /** @enum {string} */
                                    followedBy?: "push" | "poll" | "none";
                                    scannedAt?: string;
                                    attention?: {
                                        /** @enum {string} */
                                        kind: "stalled" | "unreceived" | "overdue";
                                        since: string;
                                    } | null;
                                } | null;
                                refundApproval: {
                                    limit: {
                                        aboveMinor: number;
                                        currency: string;
                                        rate: string | null;
                                        aboveFen: number;
                                    };
                                    amountMinor: number | null;
                                    /** @enum {string} */
                                    state: "not_needed" | "waiting" | "approved" | "rejected";
                                    by: string | null;
                                    at: string | null;
                                    reason?: string;
                                } | null;
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sale-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List after-sales rules in evaluation order */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rules: {
                                id: string;
                                name: string;
                                description?: string;
                                /** @default 100 */
                                order: number;
                                /** @default true */
                                enabled: boolean;
                                when: components["schemas"]["AfterSaleCondition"];
                                action: {
                                    /** @enum {string} */
                                    type: "agree";
                                } | {
                                    /** @enum {string} */
                                    type: "hold";
                                    reason: string;
                                    /**
                                     * @default customer-service
                                     * @enum {string}
                                     */
                                    clearedBy: "customer-service" | "finance";
                                    message?: string;
                                };
                                version: number;
                                updatedBy: string;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a after-sales rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description?: string;
                        /** @default 100 */
                        order?: number;
                        /** @default true */
                        enabled?: boolean;
                        when: components["schemas"]["AfterSaleConditionInput"];
                        action: {
                            /** @enum {string} */
                            type: "agree";
                        } | {
                            /** @enum {string} */
                            type: "hold";
                            reason: string;
                            /**
                             * @default customer-service
                             * @enum {string}
                             */
                            clearedBy?: "customer-service" | "finance";
                            message?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["AfterSaleCondition"];
                            action: {
                                /** @enum {string} */
                                type: "agree";
                            } | {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /**
                                 * @default customer-service
                                 * @enum {string}
                                 */
                                clearedBy: "customer-service" | "finance";
                                message?: string;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sale-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One after-sales rule */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["AfterSaleCondition"];
                            action: {
                                /** @enum {string} */
                                type: "agree";
                            } | {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /**
                                 * @default customer-service
                                 * @enum {string}
                                 */
                                clearedBy: "customer-service" | "finance";
                                message?: string;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        /** Replace a after-sales rule */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id?: string;
                        name: string;
                        description?: string;
                        /** @default 100 */
                        order?: number;
                        /** @default true */
                        enabled?: boolean;
                        when: components["schemas"]["AfterSaleConditionInput"];
                        action: {
                            /** @enum {string} */
                            type: "agree";
                        } | {
                            /** @enum {string} */
                            type: "hold";
                            reason: string;
                            /**
                             * @default customer-service
                             * @enum {string}
                             */
                            clearedBy?: "customer-service" | "finance";
                            message?: string;
                        };
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["AfterSaleCondition"];
                            action: {
                                /** @enum {string} */
                                type: "agree";
                            } | {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /**
                                 * @default customer-service
                                 * @enum {string}
                                 */
                                clearedBy: "customer-service" | "finance";
                                message?: string;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sale-rules/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a after-sales rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["AfterSaleCondition"];
                            action: {
                                /** @enum {string} */
                                type: "agree";
                            } | {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /**
                                 * @default customer-service
                                 * @enum {string}
                                 */
                                clearedBy: "customer-service" | "finance";
                                message?: string;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sale-rules/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a after-sales rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["AfterSaleCondition"];
                            action: {
                                /** @enum {string} */
                                type: "agree";
                            } | {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /**
                                 * @default customer-service
                                 * @enum {string}
                                 */
                                clearedBy: "customer-service" | "finance";
                                message?: string;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/after-sale-rules/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Evaluate a draft after-sales rule set against the cases of the last N days, changing nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        days: number;
                        /** @default 5000 */
                        limit?: number;
                        /** @default 5 */
                        sampleSize?: number;
                        /** @default false */
                        includeCases?: boolean;
                        rules?: {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order?: number;
                            /** @default true */
                            enabled?: boolean;
                            when: components["schemas"]["AfterSaleConditionInput"];
                            action: {
                                /** @enum {string} */
                                type: "agree";
                            } | {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /**
                                 * @default customer-service
                                 * @enum {string}
                                 */
                                clearedBy?: "customer-service" | "finance";
                                message?: string;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            window: {
                                days: number;
                                /** @description ISO 8601 date-time */
                                from: string;
                                /** @description ISO 8601 date-time */
                                to: string;
                            };
                            draft: boolean;
                            truncated: boolean;
                            summary: {
                                evaluated: number;
                                autoAgreed: number;
                                autoAgreedFen: number;
                                held: number;
                                toPerson: number;
                                agreedButRefused: {
                                    count: number;
                                    sampleCaseIds: string[];
                                };
                                byRule: {
                                    ruleId: string;
                                    ruleName: string;
                                    /** @enum {string} */
                                    action: "agree" | "hold";
                                    reason: string | null;
                                    clearedBy: string | null;
                                    count: number;
                                    sampleCaseIds: string[];
                                }[];
                                ruleProblems: {
                                    ruleId: string;
                                    outcome: string;
                                    detail: string;
                                }[];
                                cases?: {
                                    caseId: string;
                                    /** @enum {string} */
                                    verdict: "agree" | "hold" | "person";
                                    ruleIds: string[];
                                    requestedFen: number;
                                    actual: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search orders, newest first (deadline filter: ship-by due within N hours, overdue) */
        get: {
            parameters: {
                query?: {
                    /** @description only rows whose deadline falls within the next N hours (not yet passed) */
                    dueWithinHours?: number;
                    /** @description `true`: only rows whose deadline has passed and whose work is not done */
                    overdue?: "true" | "false";
                    status?: "captured" | "awaiting_payment" | "auditing" | "held" | "allocating" | "out_of_stock" | "awaiting_wave" | "picking" | "packed" | "shipped" | "delivered" | "completed" | "cancelled" | "exception";
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    shopId?: string;
                    /** @description our order id, the platform order id, the buyer id, or part of the buyer nick */
                    q?: string;
                    /** @description the last 4 digits of the receiver's phone number */
                    phoneTail?: string;
                    trackingNumber?: string;
                    /** @description a SKU code on one of its lines */
                    sku?: string;
                    type?: "normal" | "presale" | "group_buy" | "livestream";
                    flag?: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                    locked?: "true" | "false";
                    from?: string;
                    to?: string;
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            orders: {
                                id: string;
                                platform: string;
                                shop_id: string;
                                platform_order_id: string;
                                status: string;
                                platform_status: string;
                                refund_status: string;
                                order_type: string;
                                currency: string;
                                goods_fen: number;
                                discount_fen: number;
                                shipping_fen: number;
                                paid_fen: number;
                                buyer_nick: string | null;
                                flags: string[];
                                locked: boolean;
                                /** Format: date-time */
                                held_since: string | null;
                                /** Format: date-time */
                                ship_by_at: string | null;
                                ship_by_at_risk: boolean;
                                /** @description ISO 8601 date-time */
                                captured_at: string;
                                /** @description ISO 8601 date-time */
                                updated_at: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Enter an order by hand or relay one from an integration
         * @description Body: `{platform, shopId, order}` where `order` is the normalized order (JSON Schema at GET /schemas/order-push.json). Starts or updates the workflow `order:{platform}:{shopId}:{platformOrderId}`; repeats are harmless. An order its platform sent (polled, pushed) is refused with 409: only a reviewer edits it. The caller is the actor of the order's `captured` event. Foreign currencies are converted to CNY at the recorded rate; with no rate the order is refused (422).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            accepted: true;
                            orderId: string;
                            /** @enum {string} */
                            outcome: "accepted" | "closed" | "revived";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One order: projection, timeline and the live workflow state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            order: {
                                id: string;
                                platform: string;
                                shop_id: string;
                                platform_order_id: string;
                                status: string;
                                platform_status: string;
                                refund_status: string;
                                order_type: string;
                                buyer_id: string;
                                buyer_nick: string | null;
                                receiver: {
                                    [key: string]: unknown;
                                };
                                effective_receiver: {
                                    [key: string]: unknown;
                                } | null;
                                currency: string;
                                goods_fen: number;
                                discount_fen: number;
                                shipping_fen: number;
                                paid_fen: number;
                                buyer_remark: string | null;
                                buyer_remark_translation: {
                                    text: string;
                                    source_language: string;
                                    provider: string;
                                    instructions: string[];
                                } | null;
                                seller_memo: string | null;
                                seller_memo_translation: {
                                    text: string;
                                    source_language: string;
                                    provider: string;
                                    instructions: string[];
                                } | null;
                                internal_memo: string | null;
                                flags: string[];
                                locked: boolean;
                                route_group: string | null;
                                priority: number;
                                /** Format: date-time */
                                held_since: string | null;
                                /** Format: date-time */
                                ship_by_at: string | null;
                                ship_by_at_risk: boolean;
                                carrier_preference: string | null;
                                outcome: string | null;
                                original_currency: string | null;
                                fx: {
                                    [key: string]: unknown;
                                } | null;
                                instructions: string[];
                                /** @description ISO 8601 date-time */
                                platform_created_at: string;
                                /** @description ISO 8601 date-time */
                                paid_at: string | null;
                                /** @description ISO 8601 date-time */
                                platform_modified_at: string;
                                /** @description ISO 8601 date-time */
                                captured_at: string;
                                /** @description ISO 8601 date-time */
                                updated_at: string;
                                last_event_seq: number;
                            };
                            lines: {
                                order_id: string;
                                line_id: string;
                                sku_code: string;
                                platform_sku_id: string;
                                title: string;
                                quantity: number;
                                unit_price_fen: number;
                                discount_fen: number;
                                refund_status: string | null;
                            }[];
                            timeline: {
                                seq: number;
                                stage: string;
                                status: string;
                                actor: string;
                                detail: unknown;
                                /** @description ISO 8601 date-time */
                                at: string;
                            }[];
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            } | null;
                            stateError: string | null;
                            temporal: {
                                workflowId: string;
                                url: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exchange-rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recorded exchange rates to CNY, newest first per currency */
        get: {
            parameters: {
                query?: {
                    currency?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** Record a rate to CNY; orders parked for want of it are taken in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currency: string;
                        rate: string;
                        /** Format: date-time */
                        validFrom?: string;
                        /** @default manual */
                        source?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List shops (credentials are never returned) */
        get: {
            parameters: {
                query?: {
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shops: {
                                id: string;
                                platform: string;
                                name: string;
                                platformShopId: string;
                                baseUrl: string | null;
                                hasCredentials: boolean;
                                pollIntervalSeconds: number;
                                syncEnabled: boolean;
                                pullable: boolean;
                                settings: {
                                    [key: string]: unknown;
                                };
                                sync: {
                                    workflowId: string;
                                    /** @description ISO 8601 date-time */
                                    cursor: string | null;
                                    /** @description ISO 8601 date-time */
                                    lastSyncedAt: string | null;
                                    error: string | null;
                                    state?: {
                                        shopId: string;
                                        platform: string | null;
                                        /** @enum {string} */
                                        activity: "starting" | "polling" | "fetching" | "waiting" | "retrying" | "paused" | "stopping";
                                        /** @description ISO 8601 date-time */
                                        cursor: string | null;
                                        /** @description ISO 8601 date-time */
                                        refundCursor?: string | null;
                                        pollIntervalSeconds: number | null;
                                        /** @description ISO 8601 date-time */
                                        nextPollAt: string | null;
                                        pendingFetches: number;
                                        lastRound: unknown;
                                        consecutiveFailures: number;
                                        lastError: {
                                            message: string;
                                            type: string | null;
                                            /** @description ISO 8601 date-time */
                                            at: string;
                                        } | null;
                                        paused: {
                                            kind: string;
                                            message: string;
                                            /** @description ISO 8601 date-time */
                                            since: string;
                                        } | null;
                                        totals: {
                                            polls: number;
                                            submitted: number;
                                            fetched: number;
                                        };
                                        pollsThisRun: number;
                                    } | null;
                                };
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Register a shop */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        platform: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                        name: string;
                        /** @default  */
                        platformShopId?: string;
                        /** Format: uri */
                        baseUrl?: string;
                        credentials?: {
                            appKey?: string;
                            appSecret?: string;
                            accessToken?: string;
                            refreshToken?: string;
                            /** Format: date-time */
                            accessTokenExpiresAt?: string;
                            webhookSecret?: string;
                            extra?: {
                                [key: string]: string;
                            };
                        };
                        pollIntervalSeconds?: number;
                        syncEnabled?: boolean;
                        /** @default {} */
                        settings?: {
                            unpaidCancelSeconds?: number;
                            unpaidReminderSeconds?: number | null;
                            presaleDepositSeconds?: number;
                            presaleBalanceSeconds?: number;
                            paymentToleranceFen?: number;
                            holdSlaSeconds?: number;
                            shipBySeconds?: number;
                            shipByWarningSeconds?: number;
                            liveRoom?: {
                                /** @default false */
                                wholeShop?: boolean;
                                /** @default [] */
                                sessions?: {
                                    name: string;
                                    /** Format: date-time */
                                    from: string;
                                    /** Format: date-time */
                                    to: string;
                                    skuCodes?: string[];
                                }[];
                            } | null;
                            /** @enum {string|null} */
                            urgentCarrier?: "SF" | "ZTO" | "YTO" | "STO" | "YUNDA" | "JD" | "EMS" | "POSTB" | "JTSD" | "DBKD" | "HTKY" | "ZJS" | "UC" | "HHTT" | "DANNIAO" | "SNWL" | "ZYKD" | "ANE" | "FWX" | "SXJD" | "KYE" | "ZTOKY" | "SFKY" | "YDKY" | "BSKY" | "JDKY" | "DBL" | "SHANSONG" | "DHL" | "FEDEX" | "UPS" | "USPS" | null;
                            /** @enum {string} */
                            splitShipments?: "auto" | "ask" | "never";
                            platformLogistics?: false | {
                                methods?: ("pickup" | "dropoff")[];
                                pickupAddressId?: string;
                                dropoffBranchId?: string;
                                senderRealName?: string;
                                /** @enum {string} */
                                documentType?: "THERMAL_AIR_WAYBILL" | "NORMAL_AIR_WAYBILL" | "THERMAL_JOB_AIR_WAYBILL" | "NORMAL_JOB_AIR_WAYBILL" | "THERMAL_UNPACKAGED_LABEL";
                            };
                            /** @enum {string} */
                            afterHandover?: "intercept" | "person";
                            /** @enum {string} */
                            returnReceipt?: "platform" | "person";
                            /** @enum {string} */
                            platformRefund?: "api" | "person";
                            refundApprovalAboveFen?: number;
                            platformCarrierCodes?: {
                                [key: string]: string;
                            };
                            returnLabel?: {
                                /** @enum {string} */
                                issuer: "sf" | "cainiao";
                                /** @enum {string} */
                                carrier: "SF" | "ZTO" | "YTO" | "STO" | "YUNDA" | "JD" | "EMS" | "POSTB" | "JTSD" | "DBKD" | "HTKY" | "ZJS" | "UC" | "HHTT" | "DANNIAO" | "SNWL" | "ZYKD" | "ANE" | "FWX" | "SXJD" | "KYE" | "ZTOKY" | "SFKY" | "YDKY" | "BSKY" | "JDKY" | "DBL" | "SHANSONG" | "DHL" | "FEDEX" | "UPS" | "USPS";
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            platform: string;
                            name: string;
                            platformShopId: string;
                            baseUrl: string | null;
                            hasCredentials: boolean;
                            pollIntervalSeconds: number;
                            syncEnabled: boolean;
                            pullable: boolean;
                            settings: {
                                [key: string]: unknown;
                            };
                            sync: {
                                workflowId: string;
                                /** @description ISO 8601 date-time */
                                cursor: string | null;
                                /** @description ISO 8601 date-time */
                                lastSyncedAt: string | null;
                                error: string | null;
                                state?: {
                                    shopId: string;
                                    platform: string | null;
                                    /** @enum {string} */
                                    activity: "starting" | "polling" | "fetching" | "waiting" | "retrying" | "paused" | "stopping";
                                    /** @description ISO 8601 date-time */
                                    cursor: string | null;
                                    /** @description ISO 8601 date-time */
                                    refundCursor?: string | null;
                                    pollIntervalSeconds: number | null;
                                    /** @description ISO 8601 date-time */
                                    nextPollAt: string | null;
                                    pendingFetches: number;
                                    lastRound: unknown;
                                    consecutiveFailures: number;
                                    lastError: {
                                        message: string;
                                        type: string | null;
                                        /** @description ISO 8601 date-time */
                                        at: string;
                                    } | null;
                                    paused: {
                                        kind: string;
                                        message: string;
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                    } | null;
                                    totals: {
                                        polls: number;
                                        submitted: number;
                                        fetched: number;
                                    };
                                    pollsThisRun: number;
                                } | null;
                            };
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            webhookSecret?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platforms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The sales channels shops can be registered on, and what the ERP does with each */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            platforms: {
                                /** @enum {string} */
                                platform: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                                name: string;
                                pull: boolean;
                                /** @enum {string} */
                                push: "http" | "message_channel" | "none";
                                pushChannel?: string;
                                shipConfirm: boolean;
                                stockUpload: boolean;
                                /** @description After-sales cases are captured (from a case API, the orders, Amazon's returns report or an own store's push) */
                                afterSales: boolean;
                                /**
                                 * @description Where cases come from: the platform's after-sales API, the after-sales markers on its orders (no case API in the facts), a report (Amazon's returns report), the store's own case push (own store), or nowhere (the platform offers none we know of)
                                 * @enum {string}
                                 */
                                afterSalesSource: "case_api" | "order" | "report" | "push" | "none";
                                /** @description The seller's agreement or refusal takes effect through an API — the platform's, or for an own store the payment channel's refund (else the platform's back office) */
                                afterSalesAnswers: boolean;
                                requiredCredentials: string[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One shop, with its sync workflow’s live state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            platform: string;
                            name: string;
                            platformShopId: string;
                            baseUrl: string | null;
                            hasCredentials: boolean;
                            pollIntervalSeconds: number;
                            syncEnabled: boolean;
                            pullable: boolean;
                            settings: {
                                [key: string]: unknown;
                            };
                            sync: {
                                workflowId: string;
                                /** @description ISO 8601 date-time */
                                cursor: string | null;
                                /** @description ISO 8601 date-time */
                                lastSyncedAt: string | null;
                                error: string | null;
                                state?: {
                                    shopId: string;
                                    platform: string | null;
                                    /** @enum {string} */
                                    activity: "starting" | "polling" | "fetching" | "waiting" | "retrying" | "paused" | "stopping";
                                    /** @description ISO 8601 date-time */
                                    cursor: string | null;
                                    /** @description ISO 8601 date-time */
                                    refundCursor?: string | null;
                                    pollIntervalSeconds: number | null;
                                    /** @description ISO 8601 date-time */
                                    nextPollAt: string | null;
                                    pendingFetches: number;
                                    lastRound: unknown;
                                    consecutiveFailures: number;
                                    lastError: {
                                        message: string;
                                        type: string | null;
                                        /** @description ISO 8601 date-time */
                                        at: string;
                                    } | null;
                                    paused: {
                                        kind: string;
                                        message: string;
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                    } | null;
                                    totals: {
                                        polls: number;
                                        submitted: number;
                                        fetched: number;
                                    };
                                    pollsThisRun: number;
                                } | null;
                            };
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a shop: credentials (merged), endpoint, polling, settings */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        platformShopId?: string;
                        /** Format: uri */
                        baseUrl?: string | null;
                        credentials?: {
                            appKey?: string;
                            appSecret?: string;
                            accessToken?: string;
                            refreshToken?: string;
                            /** Format: date-time */
                            accessTokenExpiresAt?: string;
                            webhookSecret?: string;
                            extra?: {
                                [key: string]: string;
                            };
                        };
                        pollIntervalSeconds?: number;
                        syncEnabled?: boolean;
                        settings?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            platform: string;
                            name: string;
                            platformShopId: string;
                            baseUrl: string | null;
                            hasCredentials: boolean;
                            pollIntervalSeconds: number;
                            syncEnabled: boolean;
                            pullable: boolean;
                            settings: {
                                [key: string]: unknown;
                            };
                            sync: {
                                workflowId: string;
                                /** @description ISO 8601 date-time */
                                cursor: string | null;
                                /** @description ISO 8601 date-time */
                                lastSyncedAt: string | null;
                                error: string | null;
                                state?: {
                                    shopId: string;
                                    platform: string | null;
                                    /** @enum {string} */
                                    activity: "starting" | "polling" | "fetching" | "waiting" | "retrying" | "paused" | "stopping";
                                    /** @description ISO 8601 date-time */
                                    cursor: string | null;
                                    /** @description ISO 8601 date-time */
                                    refundCursor?: string | null;
                                    pollIntervalSeconds: number | null;
                                    /** @description ISO 8601 date-time */
                                    nextPollAt: string | null;
                                    pendingFetches: number;
                                    lastRound: unknown;
                                    consecutiveFailures: number;
                                    lastError: {
                                        message: string;
                                        type: string | null;
                                        /** @description ISO 8601 date-time */
                                        at: string;
                                    } | null;
                                    paused: {
                                        kind: string;
                                        message: string;
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                    } | null;
                                    totals: {
                                        polls: number;
                                        submitted: number;
                                        fetched: number;
                                    };
                                    pollsThisRun: number;
                                } | null;
                            };
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open (or all) alerts, newest first */
        get: {
            parameters: {
                query?: {
                    shopId?: string;
                    kind?: "sync_failing" | "auth_failed" | "sync_rejected" | "fx_rate_missing" | "shipment_exception" | "channel_failing" | "pick_exception" | "wms_report_rejected" | "unpaid_overdue" | "paid_after_close" | "stock_sync_refused" | "stock_sync_failing" | "shipped_on_platform" | "address_changed_after_handover" | "waybill_balance_low" | "waybill_account_failing" | "after_sale_deadline" | "parcel_lost" | "lost_parcel_refund" | "return_parcel_stalled" | "return_not_received" | "return_parcel_overdue";
                    includeResolved?: "true" | "false";
                    grouped?: "true" | "false";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: {
                                id: number;
                                shopId: string | null;
                                kind: string;
                                subject: string | null;
                                message: string;
                                occurrences: number;
                                /** @description ISO 8601 date-time */
                                firstSeen: string;
                                /** @description ISO 8601 date-time */
                                lastSeen: string;
                                /** @description ISO 8601 date-time */
                                resolvedAt: string | null;
                                groupSize: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Held orders waiting for a decision, oldest first
         * @description Only each order’s current review stage is listed. By default, the holds your roles clear.
         */
        get: {
            parameters: {
                query?: {
                    role?: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                    reason?: string;
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    shopId?: string;
                    overdue?: "true" | "false";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                stage: number;
                                locked: boolean;
                                flags: string[];
                                amountDueFen: number;
                                paidFen: number;
                                /** @description ISO 8601 date-time */
                                heldSince: string;
                                /** @description ISO 8601 date-time */
                                slaDueAt: string;
                                overdue: boolean;
                                mayDecide: boolean;
                                buyerRemark: string | null;
                                buyerRemarkTranslation: {
                                    text: string;
                                    sourceLanguage: string;
                                    provider: string;
                                } | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve, reject or edit a held order
         * @description Answers once the order’s workflow has decided (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        decision: "approve";
                        note?: string;
                        /** @enum {string} */
                        packedParcel?: "repack" | "ship";
                        /** @enum {string} */
                        split?: "wait" | "split";
                    } | {
                        /** @enum {string} */
                        decision: "reject";
                        reason?: string;
                    } | {
                        /** @enum {string} */
                        decision: "edit";
                        edits: {
                            receiver?: {
                                name?: string;
                                phone?: string;
                                country?: string;
                                province?: string;
                                city?: string;
                                district?: string;
                                town?: string;
                                detail?: string;
                                postalCode?: string;
                                protected?: boolean;
                                addressHandle?: string;
                            };
                            lines?: {
                                lineId: string;
                                /** @default  */
                                platformSkuId?: string;
                                skuCode: string;
                                /** @default  */
                                title?: string;
                                quantity: number;
                                unitPriceFen: number;
                                /** @default 0 */
                                discountFen?: number;
                                /** @enum {string} */
                                refundStatus?: "none" | "requested" | "refused" | "refunded" | "closed";
                                taxFen?: number;
                            }[];
                            sellerMemo?: string;
                            carrierPreference?: string | null;
                        };
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/lock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Lock an order: it goes no further until unlocked
         * @description Answers once the order’s workflow has taken the action (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unlock an order so it continues
         * @description Answers once the order’s workflow has taken the action (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Flag an order (urgent, gift, VIP, …)
         * @description Answers once the order’s workflow has taken the action (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/flags/{flag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a flag
         * @description Answers once the order’s workflow has taken the action (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                    flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/memos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add an internal memo to the order
         * @description Answers once the order’s workflow has taken the action (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        memo: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/{id}/lost-parcels/{parcelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide a lost parcel: reship its lines as a new parcel, or refund them
         * @description Answers once the order’s workflow has decided (200, or 403/404/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                    parcelId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        decision: "reship" | "refund";
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                orderId: string;
                                platform: string;
                                shopId: string;
                                platformOrderId: string;
                                status: string;
                                platformStatus: string;
                                refundStatus: string;
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                nextDeadline: {
                                    kind: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                } | null;
                                outcome?: string | null;
                                holds: {
                                    key: string;
                                    reason: string;
                                    stage: number;
                                    clearedBy: string;
                                    ruleId: string | null;
                                    message: string | null;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    openedAt: string;
                                    /** @description ISO 8601 date-time */
                                    escalatedAt: string | null;
                                    /** @description ISO 8601 date-time */
                                    clearedAt: string | null;
                                    clearedByActor: string | null;
                                    decision: string | null;
                                    note: string | null;
                                }[];
                                reviewStage?: number | null;
                                flags: string[];
                                locked: boolean;
                                route?: {
                                    group: string;
                                    priority: number;
                                    reason: string;
                                } | null;
                                shipBy?: {
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    atRisk: boolean;
                                } | null;
                                carrierPreference?: string | null;
                                edited?: {
                                    receiver: boolean;
                                    lines: boolean;
                                    sellerMemo: boolean;
                                };
                                parcels?: {
                                    parcelId: string;
                                    shipmentId: string;
                                    warehouse: string;
                                    /** @enum {string} */
                                    stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                    mergedWith: string[];
                                    carrier: string | null;
                                    trackingNumber: string | null;
                                    lineIds?: string[];
                                    lost?: {
                                        /** @enum {string} */
                                        declaredBy: "carrier" | "silence" | "person";
                                        /** @description ISO 8601 date-time */
                                        since: string;
                                        reason: string | null;
                                        /** @enum {string|null} */
                                        decision: "reship" | "refund" | null;
                                        decidedBy: string | null;
                                        /** @description ISO 8601 date-time */
                                        decidedAt: string | null;
                                        note: string | null;
                                        refunded?: boolean;
                                    };
                                }[];
                                awaitingWave?: string[];
                                timeline: {
                                    seq: number;
                                    stage: string;
                                    status: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    actor: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/orders/at-risk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders at risk of missing their ship-by deadline, soonest first */
        get: {
            parameters: {
                query?: {
                    withinHours?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            orders: {
                                id: string;
                                platform: string;
                                shop_id: string;
                                platform_order_id: string;
                                status: string;
                                /** @description ISO 8601 date-time */
                                ship_by_at: string;
                                ship_by_at_risk: boolean;
                                flags: string[];
                                route_group: string | null;
                                priority: number;
                                overdue: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sales of a period (orders, GMV, paid, refunds, net, AOV, units, 连带率, 动销率, conversion) against the previous period */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    shopId?: string;
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    granularity?: "day" | "week" | "month";
                    top?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            period: {
                                from: string;
                                to: string;
                            };
                            previousPeriod: {
                                from: string;
                                to: string;
                            };
                            /** @enum {string} */
                            granularity: "day" | "week" | "month";
                            totals: {
                                placedOrders: number;
                                gmvFen: number;
                                paidOrders: number;
                                payingBuyers: number;
                                paidFen: number;
                                refundFen: number;
                                netSalesFen: number;
                                aovFen: number | null;
                                units: number;
                                unitsPerOrder: number | null;
                                refundedUnits: number;
                                cancelledOrders: number;
                                shippedOrders: number;
                                deliveredOrders: number;
                                skusSold: number;
                            };
                            previous: {
                                placedOrders: number;
                                gmvFen: number;
                                paidOrders: number;
                                payingBuyers: number;
                                paidFen: number;
                                refundFen: number;
                                netSalesFen: number;
                                aovFen: number | null;
                                units: number;
                                unitsPerOrder: number | null;
                                refundedUnits: number;
                                cancelledOrders: number;
                                shippedOrders: number;
                                deliveredOrders: number;
                                skusSold: number;
                            };
                            change: {
                                [key: string]: number | null;
                            };
                            sellThrough: {
                                skusSold: number;
                                skusInStock: number;
                                rate: number | null;
                            };
                            conversion: {
                                visitors: number | null;
                                missingShopDays: number;
                                rate: number | null;
                                previousRate: number | null;
                                unknownReason: string | null;
                            };
                            series: {
                                placedOrders: number;
                                gmvFen: number;
                                paidOrders: number;
                                payingBuyers: number;
                                paidFen: number;
                                refundFen: number;
                                netSalesFen: number;
                                aovFen: number | null;
                                units: number;
                                unitsPerOrder: number | null;
                                refundedUnits: number;
                                cancelledOrders: number;
                                shippedOrders: number;
                                deliveredOrders: number;
                                skusSold: number;
                                bucket: string;
                            }[];
                            topSkus: {
                                skuCode: string;
                                paidLines: number;
                                units: number;
                                paidFen: number;
                                refundFen: number;
                                refundedUnits: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/basket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SKU pairs bought in one order (support, confidence, lift) and the bundles they suggest */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    shopId?: string;
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    minSupport?: number;
                    minOrders?: number;
                    minLift?: number;
                    minConfidence?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            period: {
                                from: string;
                                to: string;
                            };
                            orders: number;
                            rules: {
                                antecedent: string;
                                consequent: string;
                                orders: number;
                                support: number;
                                confidence: number;
                                lift: number;
                                antecedentOrders: number;
                                consequentOrders: number;
                            }[];
                            bundles: {
                                skus: string[];
                                orders: number;
                                support: number;
                                confidence: number;
                                lift: number;
                                antecedent: string[];
                                consequent: string;
                                because: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/basket/also-bought": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the orders of one SKU also hold ("bought A, also bought"), most confident first */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    shopId?: string;
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    minSupport?: number;
                    minOrders?: number;
                    minLift?: number;
                    minConfidence?: number;
                    limit?: number;
                    sku: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            period: {
                                from: string;
                                to: string;
                            };
                            sku: string;
                            orders: number;
                            rules: {
                                antecedent: string;
                                consequent: string;
                                orders: number;
                                support: number;
                                confidence: number;
                                lift: number;
                                antecedentOrders: number;
                                consequentOrders: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/efficiency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where orders wait: p50/p90/p99 per stage (by shop, warehouse, carrier or day), the bottleneck, 24/48-hour ship rates, holds, carrier timeliness by destination province */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    shopId?: string;
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    by?: "shop" | "warehouse" | "carrier" | "day";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            period: {
                                from: string;
                                to: string;
                            };
                            previousPeriod: {
                                from: string;
                                to: string;
                            };
                            by: string | null;
                            stages: {
                                stage: string;
                                key: string | null;
                                orders: number;
                                p50Seconds: number;
                                p90Seconds: number;
                                p99Seconds: number;
                                avgSeconds: number;
                                waitingNow: number;
                            }[];
                            bottleneck: {
                                stage: string;
                                p90Seconds: number;
                                previousP90Seconds: number | null;
                                /** @enum {string} */
                                trend: "new" | "slower" | "faster" | "same";
                            } | null;
                            shipping: {
                                paidOrders: number;
                                shippedWithin24h: number;
                                shippedWithin48h: number;
                                rate24h: number | null;
                                rate48h: number | null;
                                payToShipP50Seconds: number | null;
                            };
                            holds: {
                                reason: string;
                                holds: number;
                                open: number;
                                p50Seconds: number;
                                p90Seconds: number;
                            }[];
                            carriers: {
                                carrier: string;
                                province: string | null;
                                orders: number;
                                delivered: number;
                                handoverToScanP50Seconds: number | null;
                                handoverToScanP90Seconds: number | null;
                                scanToDeliveredP50Seconds: number | null;
                                scanToDeliveredP90Seconds: number | null;
                                handoverToDeliveredP50Seconds: number | null;
                                handoverToDeliveredP90Seconds: number | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A report table as CSV or XLSX (sales: totals, series, topSkus; basket: rules, bundles; efficiency: stages, shipping, holds, carriers)
         * @description The same filters as the report itself. CSV: one table, UTF-8 with a byte-order mark, field names as in the JSON. XLSX (format=xlsx): the table, or without table every table of the report as a sheet each, Chinese headings. Money in fen, rates as fractions, durations in seconds.
         */
        get: {
            parameters: {
                query: {
                    from: string;
                    to: string;
                    shopId?: string;
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    report: "sales" | "basket" | "efficiency";
                    table?: string;
                    format?: "csv" | "xlsx";
                    granularity?: "day" | "week" | "month";
                    top?: number;
                    by?: "shop" | "warehouse" | "carrier" | "day";
                    minSupport?: number;
                    minOrders?: number;
                    minLift?: number;
                    minConfidence?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/traffic": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload visitors per shop and day as CSV (shop_id,day,visitors[,page_views]); a shop-day uploaded again is replaced */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "text/csv": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stored: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/basket/itemsets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest itemset runs (50), newest first, with their progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runs: {
                                runId: string;
                                /** @enum {string} */
                                status: "running" | "done" | "failed";
                                period: {
                                    from: string;
                                    to: string;
                                };
                                shopIds: string[] | null;
                                platform: string | null;
                                minOrders: number;
                                maxSize: number;
                                baskets: number | null;
                                itemsTotal: number | null;
                                itemsMined: number;
                                error: string | null;
                                requestedBy: string;
                                startedAt: string;
                                finishedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Mine the itemsets of 3+ SKUs bought together in a period (FP-growth, runs in the background)
         * @description Answers 202 with the run to read at GET /reports/basket/itemsets/{runId}. The same filter and thresholds asked again while a run mines them answer that run (created: false).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        shopId?: string;
                        /** @enum {string} */
                        platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                        /** @default 2 */
                        minOrders?: number;
                        /** @default 4 */
                        maxSize?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runId: string;
                            created: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/basket/itemsets/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An itemset run: its progress, its itemsets with support, their rules and the bundles they suggest */
        get: {
            parameters: {
                query?: {
                    minSize?: number;
                    minLift?: number;
                    minConfidence?: number;
                    limit?: number;
                };
                header?: never;
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            run: {
                                runId: string;
                                /** @enum {string} */
                                status: "running" | "done" | "failed";
                                period: {
                                    from: string;
                                    to: string;
                                };
                                shopIds: string[] | null;
                                platform: string | null;
                                minOrders: number;
                                maxSize: number;
                                baskets: number | null;
                                itemsTotal: number | null;
                                itemsMined: number;
                                error: string | null;
                                requestedBy: string;
                                startedAt: string;
                                finishedAt: string | null;
                            };
                            itemsets: {
                                skus: string[];
                                orders: number;
                                support: number;
                            }[];
                            rules: {
                                antecedent: string[];
                                consequent: string;
                                orders: number;
                                support: number;
                                confidence: number;
                                lift: number;
                            }[];
                            bundles: {
                                skus: string[];
                                orders: number;
                                support: number;
                                confidence: number;
                                lift: number;
                                antecedent: string[];
                                consequent: string;
                                because: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/skus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SKUs with weight, dimensions, handling flags and bundle components */
        get: {
            parameters: {
                query?: {
                    search?: string;
                    flag?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** Create a SKU or bundle */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        weightG: number;
                        /** @default 0 */
                        lengthMm?: number;
                        /** @default 0 */
                        widthMm?: number;
                        /** @default 0 */
                        heightMm?: number;
                        /** @default [] */
                        flags?: string[];
                        components?: {
                            code: string;
                            qty: number;
                        }[];
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/skus/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One SKU */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a SKU, or set its bundle components */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        weightG?: number;
                        lengthMm?: number;
                        widthMm?: number;
                        heightMm?: number;
                        flags?: string[];
                        components?: {
                            code: string;
                            qty: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        trace?: never;
    };
    "/sku-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Platform SKU ids and outer codes mapped to internal SKUs */
        get: {
            parameters: {
                query?: {
                    platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                    shopId?: string;
                    skuCode?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** Map a platform SKU to an internal SKU */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        platform: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                        shopId?: string | null;
                        platformSkuId?: string;
                        outerCode?: string;
                        skuCode: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sku-mappings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a mapping */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/warehouses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Warehouses with coverage and capabilities */
        get: {
            parameters: {
                query?: {
                    active?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            warehouses: {
                                code: string;
                                name: string;
                                province: string;
                                regionCode: string | null;
                                coverage: {
                                    province: string;
                                    priority: number;
                                }[];
                                capabilities: string[];
                                active: boolean;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a warehouse */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                        name: string;
                        province: string;
                        regionCode?: string | null;
                        /** @default [] */
                        coverage?: {
                            province: string;
                            priority: number;
                        }[];
                        /** @default [] */
                        capabilities?: ("cold_chain" | "fragile")[];
                        /** @default true */
                        active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/warehouses/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One warehouse */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            code: string;
                            name: string;
                            province: string;
                            regionCode: string | null;
                            coverage: {
                                province: string;
                                priority: number;
                            }[];
                            capabilities: string[];
                            active: boolean;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a warehouse (coverage, capabilities, deactivate) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        province?: string;
                        regionCode?: string | null;
                        /** @default [] */
                        coverage?: {
                            province: string;
                            priority: number;
                        }[];
                        /** @default [] */
                        capabilities?: ("cold_chain" | "fragile")[];
                        /** @default true */
                        active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        trace?: never;
    };
    "/stock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** On hand, reserved and available per warehouse × SKU */
        get: {
            parameters: {
                query?: {
                    warehouse?: string;
                    sku?: string;
                    maxAvailable?: number;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stock: {
                                warehouse: string;
                                sku: string;
                                onHand: number;
                                reserved: number;
                                available: number;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stock movements, newest first */
        get: {
            parameters: {
                query?: {
                    warehouse?: string;
                    sku?: string;
                    orderId?: string;
                    kind?: "receipt" | "reserve" | "release" | "pick" | "ship" | "return_restock" | "adjust";
                    before?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            movements: {
                                id: number;
                                warehouse: string;
                                sku: string;
                                kind: string;
                                qty: number;
                                onHandDelta: number;
                                reservedDelta: number;
                                orderId: string | null;
                                allocationId: string | null;
                                reference: string | null;
                                actor: string;
                                reason: string | null;
                                /** @description ISO 8601 date-time */
                                at: string;
                            }[];
                            nextBefore: number | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check that every stock row equals the sum of its ledger */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Receive stock (purchase, transfer or return); orders waiting for it are resumed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        key?: string;
                        warehouse: string;
                        /**
                         * @default purchase
                         * @enum {string}
                         */
                        kind?: "purchase" | "transfer" | "return";
                        reference?: string;
                        note?: string;
                        lines: {
                            sku: string;
                            qty: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/adjustments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Correct on-hand counts; a reason is required */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        key?: string;
                        warehouse: string;
                        reason: string;
                        lines: {
                            sku: string;
                            delta: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/replenishment-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What to buy or transfer, and which orders wait for it */
        get: {
            parameters: {
                query?: {
                    status?: "open" | "fulfilled" | "cancelled";
                    warehouse?: string;
                    sku?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per shop and listing: the quantity last sent, when, and what the platform showed */
        get: {
            parameters: {
                query?: {
                    shopId?: string;
                    sku?: string;
                    status?: "pending" | "synced" | "refused";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            listings: {
                                shopId: string;
                                listingKey: string;
                                sku: string;
                                itemId: string | null;
                                skuId: string;
                                extra: {
                                    [key: string]: string;
                                };
                                /** @enum {string} */
                                status: "pending" | "synced" | "refused";
                                computedQty: number | null;
                                lastSentQty: number | null;
                                lastSentAt: string | null;
                                platformQty: number | null;
                                platformReadAt: string | null;
                                refusal: string | null;
                                refusedAt: string | null;
                                calls: number;
                                pending: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/listings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Lists an internal SKU (or bundle) on a shop; saving again clears a refusal */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        shopId: string;
                        sku: string;
                        itemId?: string;
                        skuId: string;
                        extra?: {
                            [key: string]: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shopId: string;
                            listingKey: string;
                            sku: string;
                            itemId: string | null;
                            skuId: string;
                            extra: {
                                [key: string]: string;
                            };
                            /** @enum {string} */
                            status: "pending" | "synced" | "refused";
                            computedQty: number | null;
                            lastSentQty: number | null;
                            lastSentAt: string | null;
                            platformQty: number | null;
                            platformReadAt: string | null;
                            refusal: string | null;
                            refusedAt: string | null;
                            calls: number;
                            pending: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/sync/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Sets a shop's share of the stock (ratio or fixed), safety stock and warehouses */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        shopId: string;
                        sku?: string;
                        warehouses?: string[] | null;
                        share: {
                            /** @enum {string} */
                            kind: "ratio";
                            percent: number;
                        } | {
                            /** @enum {string} */
                            kind: "fixed";
                            qty: number;
                        };
                        /** @default 0 */
                        safetyStock?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stock/sync/{shopId}/reconcile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reads every listing of the shop back from its platform now and corrects drift */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    shopId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            workflowId: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Waves, newest first */
        get: {
            parameters: {
                query?: {
                    warehouse?: string;
                    status?: "picking" | "picked" | "done" | "cancelled";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            waves: {
                                waveId: string;
                                warehouse: string;
                                status: string;
                                parcels: number;
                                units: number;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves/flush": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Form the warehouse’s next wave now, without waiting out its window (立即生成波次) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        warehouse: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            warehouse: string;
                            orders: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A wave with its pick list and pack tasks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            waveId: string;
                            warehouse: string;
                            wms: string;
                            status: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            pickList: {
                                seq: number;
                                bin: string | null;
                                sku: string;
                                qty: number;
                                demands: {
                                    parcelId: string;
                                    orderId: string;
                                    allocationId: string;
                                    qty: number;
                                    priority: number;
                                }[];
                                picked: number;
                                short: number;
                                damaged: number;
                                cancelled: number;
                            }[];
                            packTasks: {
                                parcelId: string;
                                waveId: string;
                                warehouse: string;
                                handling: string;
                                urgent: boolean;
                                orderIds: string[];
                                estimatedWeightG: number;
                                status: string;
                                contents: {
                                    orderId: string;
                                    allocationId: string;
                                    lineId: string;
                                    sku: string;
                                    qty: number;
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves/{id}/pick-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The pick list in walking order (zone, serpentine aisles, shelf, level) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            waveId: string;
                            warehouse: string;
                            status: string;
                            lines: {
                                seq: number;
                                bin: string | null;
                                sku: string;
                                qty: number;
                                demands: {
                                    parcelId: string;
                                    orderId: string;
                                    allocationId: string;
                                    qty: number;
                                    priority: number;
                                }[];
                                picked: number;
                                short: number;
                                damaged: number;
                                cancelled: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves/{id}/pick-list.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The pick list as a printable PDF */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/pick-confirmations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Units picked, short-picked (missing from the bin) or found damaged on a pick line */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        key?: string;
                        waveId: string;
                        line: number;
                        /** @enum {string} */
                        outcome: "picked" | "short_picked" | "damaged";
                        qty: number;
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/pack-confirmations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A parcel packed, with its measured weight and dimensions */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        key?: string;
                        parcelId: string;
                        weightG: number;
                        lengthMm: number;
                        widthMm: number;
                        heightMm: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/exceptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Short picks and damaged items */
        get: {
            parameters: {
                query?: {
                    status?: "open" | "resolved";
                    warehouse?: string;
                    orderId?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            exceptions: {
                                id: number;
                                kind: string;
                                waveId: string;
                                parcelId: string;
                                orderId: string;
                                allocationId: string;
                                warehouse: string;
                                sku: string;
                                bin: string | null;
                                qty: number;
                                replenishmentRequestId: number | null;
                                status: string;
                                resolution: string | null;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                                /** @description ISO 8601 date-time */
                                resolvedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/exceptions/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close an exception with what was done */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        resolution: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            status: string;
                            resolution: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/bins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which bins hold which SKUs */
        get: {
            parameters: {
                query?: {
                    warehouse?: string;
                    sku?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        /** Put a SKU in a bin */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        warehouse: string;
                        bin: string;
                        sku: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        post?: never;
        /** Take a SKU out of a bin */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        warehouse: string;
                        bin: string;
                        sku: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/warehouses/{code}/system": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which WMS runs the warehouse (built-in unless set) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        /**
         * Run the warehouse with the built-in WMS or an external one (Qimen)
         * @description Takes effect for the next wave. Refused (409) while the warehouse has waves open in the other system.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "built_in";
                    } | {
                        /** @enum {string} */
                        kind: "qimen";
                        settings: {
                            customerId: string;
                            ownerCode: string;
                            warehouseCode: string;
                            sender?: {
                                name: string;
                                mobile: string;
                                province: string;
                                city: string;
                                area?: string;
                                detailAddress: string;
                            };
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/wms/qimen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reports from Qimen WMSs (shipped, picked, packed, units missing), signed */
        post: {
            parameters: {
                query?: {
                    method?: string;
                    app_key?: string;
                    customerId?: string;
                    timestamp?: string;
                    format?: string;
                    v?: string;
                    sign_method?: string;
                    sign?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shipments, newest first */
        get: {
            parameters: {
                query?: {
                    orderId?: string;
                    waveId?: string;
                    stage?: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                    trackingNumber?: string;
                    warehouse?: string;
                    /** @description open: parcels in an exception a person resolves (resume or mark lost); lost: parcels closed as lost, whose orders decide 补发 / 退款 */
                    exception?: "open" | "lost";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shipments: {
                                id: string;
                                wave_id: string;
                                warehouse_code: string;
                                stage: string;
                                handling: string;
                                urgent: boolean;
                                order_ids: string[];
                                carrier: string | null;
                                carrier_reason: string | null;
                                cost_fen: number | null;
                                tracking_number: string | null;
                                tracking_status: string | null;
                                waybill: {
                                    [key: string]: unknown;
                                } | null;
                                weight_g: number | null;
                                length_mm: number | null;
                                width_mm: number | null;
                                height_mm: number | null;
                                exception_kind: string | null;
                                exception_detail: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                picked_at: string | null;
                                /** Format: date-time */
                                packed_at: string | null;
                                /** Format: date-time */
                                labelled_at: string | null;
                                /** Format: date-time */
                                shipped_at: string | null;
                                /** Format: date-time */
                                first_scan_at: string | null;
                                /** Format: date-time */
                                delivered_at: string | null;
                                /** Format: date-time */
                                exception_at: string | null;
                                /** Format: date-time */
                                updated_at: string;
                                last_event_seq: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shipments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One shipment with its timeline, tracking and live state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shipment: {
                                id: string;
                                wave_id: string;
                                warehouse_code: string;
                                stage: string;
                                handling: string;
                                urgent: boolean;
                                order_ids: string[];
                                carrier: string | null;
                                carrier_reason: string | null;
                                cost_fen: number | null;
                                tracking_number: string | null;
                                tracking_status: string | null;
                                waybill: {
                                    [key: string]: unknown;
                                } | null;
                                weight_g: number | null;
                                length_mm: number | null;
                                width_mm: number | null;
                                height_mm: number | null;
                                exception_kind: string | null;
                                exception_detail: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                picked_at: string | null;
                                /** Format: date-time */
                                packed_at: string | null;
                                /** Format: date-time */
                                labelled_at: string | null;
                                /** Format: date-time */
                                shipped_at: string | null;
                                /** Format: date-time */
                                first_scan_at: string | null;
                                /** Format: date-time */
                                delivered_at: string | null;
                                /** Format: date-time */
                                exception_at: string | null;
                                /** Format: date-time */
                                updated_at: string;
                                last_event_seq: number;
                            };
                            orders: {
                                shipment_id: string;
                                order_id: string;
                                line_ids: string[];
                                /** Format: date-time */
                                tracking_uploaded_at: string | null;
                                upload_attempts: number;
                                upload_skipped: string | null;
                            }[];
                            timeline: {
                                shipment_id: string;
                                seq: number;
                                stage: string;
                                actor: string;
                                detail: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                at: string;
                            }[];
                            tracking: {
                                shipment_id: string;
                                /** Format: date-time */
                                at: string;
                                status: string;
                                description: string;
                                location: string | null;
                                source: string;
                            }[];
                            state: {
                                shipmentId: string;
                                warehouse: string;
                                waveId: string;
                                /** @enum {string} */
                                stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                orderIds: string[];
                                carrier: string | null;
                                carrierReason: string | null;
                                trackingNumber: string | null;
                                trackingStatus: string | null;
                                exception: {
                                    kind: string;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    since: string;
                                } | null;
                                lockedOrders?: {
                                    orderId: string;
                                    reason: string | null;
                                }[];
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                uploads?: {
                                    orderId: string;
                                    /** @description ISO 8601 date-time */
                                    uploadedAt: string | null;
                                    attempts: number;
                                    skipped: string | null;
                                }[];
                                timeline?: {
                                    stage: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    detail: {
                                        [key: string]: unknown;
                                    };
                                }[];
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shipments/{id}/label.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The waybill label, 100×150 mm or 76×130 mm */
        get: {
            parameters: {
                query?: {
                    /** @description The label stock: 100×150 mm (standard) or 76×130 mm (the small one-part waybill); by default the stock of the waybill account that issued the label (100×150 mm when none did) */
                    size?: "100x150" | "76x130";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shipments/{id}/label/reprint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Print a label again, saying why
         * @description Records the reprint (who, why, how many times the label has now been printed) on the timeline of the shipment and of each of its orders, and answers where to fetch what to print: `label.pdf` in the size asked, or the print component’s task for a sealed e-waybill. Fetching `label.pdf` alone records nothing (the first print). 404 for an unknown shipment, 409 when it has no label yet.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why the label is printed again (torn, smudged, printer jam, relabelled parcel, …) */
                        reason: string;
                        /**
                         * @description The label stock: 100×150 mm (standard) or 76×130 mm (the small one-part waybill); by default the stock of the waybill account that issued the label (100×150 mm when none did)
                         * @enum {string}
                         */
                        size?: "100x150" | "76x130";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shipmentId: string;
                            trackingNumber: string;
                            reason: string;
                            printCount: number;
                            actor: string;
                            /** Format: date-time */
                            at: string;
                            print: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shipments/{id}/print-task": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The print task for the platform’s print component (sealed e-waybill print data)
         * @description A waybill issued for a receiver the platform encrypted (PDD 电子面单, 抖音电子面单) comes with print data only the platform’s print component can open: this is the task to send it (`cmd: print`, one document with the service’s print data as its content). 409 when the label is ours to print (`label.pdf`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            service: string;
                            /** @enum {string} */
                            cmd: "print";
                            requestID: string;
                            version: string;
                            task: {
                                taskID: string;
                                preview: boolean;
                                printer: string;
                                documents: {
                                    documentID: string;
                                    contents: {
                                        [key: string]: unknown;
                                    }[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves/{id}/labels.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every label of a wave, in pick order, as one PDF (100×150 mm or 76×130 mm) */
        get: {
            parameters: {
                query?: {
                    /** @description The label stock: 100×150 mm (standard) or 76×130 mm (the small one-part waybill); by default the stock of the waybill account that issued the label (100×150 mm when none did) */
                    size?: "100x150" | "76x130";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/waves/{id}/labels/reprint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Print a wave’s labels again as one batch, saying why
         * @description Records a reprint of every label of the wave (cancelled parcels left out), each like `POST /shipments/:id/label/reprint` (who, why, the print count, on the timeline of the shipment and of each of its orders), and answers the batch to print: the wave’s `labels.pdf` (one PDF, in the same order), and the print component’s task for each sealed e-waybill. 404 when the wave has no labels yet.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why the batch is printed again (printer ran out of labels, wrong stock loaded, …) */
                        reason: string;
                        /**
                         * @description The label stock: 100×150 mm (standard) or 76×130 mm (the small one-part waybill); by default the stock of the waybill account that issued the label (100×150 mm when none did)
                         * @enum {string}
                         */
                        size?: "100x150" | "76x130";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            waveId: string;
                            reason: string;
                            actor: string;
                            reprints: {
                                shipmentId: string;
                                trackingNumber: string;
                                printCount: number;
                                printTask: string | null;
                            }[];
                            print: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/handovers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The carrier took the parcel
         * @description Without this, the carrier’s first scan counts as the handover. 409 while an order in the parcel is locked by customer service: keep the parcel back.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        parcelId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            accepted: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shipments/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve a shipment exception: keep following the parcel, or close it as lost
         * @description Answers once the shipment’s workflow has taken the action (200, or 403/409/422 with why). Not answered within WORKFLOW_ANSWER_SECONDS (a busy or stopped worker): 503 with Retry-After and the Idempotency-Key — or, with `Prefer: respond-async, wait=N`, 202 after at most N seconds saying whether the workflow has accepted the action; ask again with the key for the outcome, which applies once (docs/human-actions.md).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The action’s key: a retry with the same key returns the first answer and applies once */
                    "idempotency-key"?: string;
                    /** @description `respond-async, wait=N` (RFC 7240): answer 202 (pending, with the key) after at most N seconds (capped at WORKFLOW_ANSWER_SECONDS) instead of 503 when the workflow has not answered yet */
                    prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "resume" | "lost";
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            state: {
                                shipmentId: string;
                                warehouse: string;
                                waveId: string;
                                /** @enum {string} */
                                stage: "picking" | "picked" | "packed" | "labelled" | "shipped" | "tracking_uploaded" | "in_transit" | "out_for_delivery" | "delivered" | "exception" | "cancelled";
                                orderIds: string[];
                                carrier: string | null;
                                carrierReason: string | null;
                                trackingNumber: string | null;
                                trackingStatus: string | null;
                                exception: {
                                    kind: string;
                                    detail: string;
                                    /** @description ISO 8601 date-time */
                                    since: string;
                                } | null;
                                lockedOrders?: {
                                    orderId: string;
                                    reason: string | null;
                                }[];
                                waitingFor: string | null;
                                waiting?: {
                                    /** @enum {string} */
                                    code: "order_review" | "order_locked" | "order_locked_parcel" | "order_deposit" | "order_balance" | "order_payment" | "order_payment_platform" | "order_group_forming" | "order_line_refunds" | "order_stock_short" | "order_stock_together" | "order_wave" | "order_warehouse" | "order_delivery" | "order_shipment_exception" | "order_lost_decision" | "order_lost_refund" | "order_lost_reship" | "shipment_picking" | "shipment_packing" | "shipment_carrier_selection" | "shipment_platform_arranging" | "shipment_platform_tracking" | "shipment_handover" | "shipment_locked" | "shipment_exception" | "shipment_delivery" | "shipment_delivery_followed" | "shipment_delivery_unfollowed" | "case_decision" | "case_buyer_return" | "case_return_parcel" | "case_return_stalled" | "case_return_unreceived" | "case_return_untracked" | "case_return_overdue" | "case_platform_refund" | "case_refund_settle" | "case_exchange_handover" | "case_exchange_review" | "case_exchange_back_office" | "case_finance_approval" | "case_person" | "legacy";
                                    params: {
                                        [key: string]: (string | number | boolean) | null;
                                    };
                                } | null;
                                uploads?: {
                                    orderId: string;
                                    /** @description ISO 8601 date-time */
                                    uploadedAt: string | null;
                                    attempts: number;
                                    skipped: string | null;
                                }[];
                                timeline?: {
                                    stage: string;
                                    /** @description ISO 8601 date-time */
                                    at: string;
                                    detail: {
                                        [key: string]: unknown;
                                    };
                                }[];
                            };
                        };
                    };
                };
                /** @description Not answered yet (only with `Prefer: respond-async`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            pending: true;
                            /** @description true: the workflow took the action (validated, in its history) and is carrying it out — its outcome, applied or refused, follows; false: not taken yet (a busy or stopped worker) — it may still take effect */
                            accepted: boolean;
                            /** @description Ask again with this Idempotency-Key for the outcome (the action applies once) */
                            idempotencyKey: string;
                            /** @description When to ask again (also the Retry-After header) */
                            retryAfterSeconds: number;
                            message: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/tracking/kuaidi100": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tracking updates pushed by Kuaidi100 (signed with our salt) */
        post: {
            parameters: {
                query?: {
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/tracking/kdniao": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tracking updates pushed by KDNiao (DataSign) */
        post: {
            parameters: {
                query?: {
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/tracking/sf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** SF route pushes for SF direct waybills (json method; the URL carries ?token=SF_PUSH_TOKEN) */
        post: {
            parameters: {
                query?: {
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/waybill-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The shop’s electronic-waybill accounts, with balances (secrets are never returned) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accounts: {
                                id: string;
                                shopId: string;
                                warehouseCode: string | null;
                                carrier: string;
                                /** @enum {string} */
                                service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                                name: string;
                                branchCode: string | null;
                                branchName: string | null;
                                monthlyAccount: string | null;
                                productType: string | null;
                                priority: number;
                                enabled: boolean;
                                balance: number | null;
                                balanceCheckedAt: string | null;
                                lowBalanceAt: number;
                                /** @enum {string} */
                                state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                                stateReason: string | null;
                                rateTable: {
                                    provinceCode: string;
                                    province: string;
                                    city?: string;
                                    originProvinceCode?: string;
                                    originProvince?: string;
                                    firstWeightG: number;
                                    firstFen: number;
                                    additionalUnitG: number;
                                    additionalFen: number;
                                    bands?: {
                                        upToG: number;
                                        fen: number;
                                    }[];
                                    surchargeFen?: number;
                                }[] | null;
                                /** @enum {string} */
                                labelSize: "100x150" | "76x130";
                                hasCredentials: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a waybill account: checked with its service before it is saved */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        carrier: "SF" | "ZTO" | "YTO" | "STO" | "YUNDA" | "JD" | "EMS" | "POSTB" | "JTSD" | "DBKD" | "HTKY" | "ZJS" | "UC" | "HHTT" | "DANNIAO" | "SNWL" | "ZYKD" | "ANE" | "FWX" | "SXJD" | "KYE" | "ZTOKY" | "SFKY" | "YDKY" | "BSKY" | "JDKY" | "DBL" | "SHANSONG" | "DHL" | "FEDEX" | "UPS" | "USPS";
                        /** @enum {string} */
                        service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                        name?: string;
                        /** @default null */
                        warehouseCode?: string | null;
                        branchCode?: string;
                        branchName?: string;
                        monthlyAccount?: string;
                        productType?: string;
                        /** @default 100 */
                        priority?: number;
                        /** @default true */
                        enabled?: boolean;
                        /** @default 100 */
                        lowBalanceAt?: number;
                        /**
                         * @default 100x150
                         * @enum {string}
                         */
                        labelSize?: "100x150" | "76x130";
                        /** @default {} */
                        credentials?: {
                            session?: string;
                            appKey?: string;
                            appSecret?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/waybill-accounts/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What carrier selection would choose now for a parcel from a warehouse to a province (the shop’s carriers, accounts and rate tables), and the account that would issue it */
        get: {
            parameters: {
                query: {
                    warehouseCode: string;
                    province: string;
                    city?: string;
                    weightG: number;
                    lengthMm?: number;
                    widthMm?: number;
                    heightMm?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            chosen?: {
                                carrier: string;
                                costFen: number;
                                chargeableWeightG: number;
                            };
                            account: {
                                id: string;
                                name: string;
                            } | null;
                            reason: string;
                            alternatives: {
                                carrier: string;
                                costFen: number;
                                chargeableWeightG: number;
                            }[];
                            rejected: {
                                carrier: string;
                                reasons: {
                                    code: string;
                                    message: string;
                                    why?: {
                                        code: string;
                                        params: {
                                            [key: string]: string | number;
                                        };
                                    };
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/waybill-accounts/{accountId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a waybill account (its waybills already issued stay valid) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a waybill account (secrets merged); a new branch or secret is checked again */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        warehouseCode?: string | null;
                        branchCode?: string | null;
                        branchName?: string;
                        monthlyAccount?: string | null;
                        productType?: string | null;
                        priority?: number;
                        enabled?: boolean;
                        lowBalanceAt?: number;
                        /** @enum {string} */
                        labelSize?: "100x150" | "76x130";
                        credentials?: {
                            session?: string;
                            appKey?: string;
                            appSecret?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/shops/{id}/waybill-accounts/{accountId}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-read the balance from the service; a working account is put back in use */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/waybill-accounts/{accountId}/rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload or replace the account’s rate table (by province: first weight, additional unit); carrier selection prices with it */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        rows: {
                            province: string;
                            city?: string;
                            origin?: string;
                            firstWeightG?: number;
                            firstFen?: number;
                            bands?: {
                                upToG: number;
                                fen: number;
                            }[];
                            additionalUnitG: number;
                            additionalFen: number;
                            surchargeFen?: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Remove the account’s rate table (the carrier’s contract or list prices apply again) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/waybill-accounts/{accountId}/rates/csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload or replace the account’s rate table as the branch’s CSV (目的省份, 首重(kg), 首重价格(元), 续重(kg), 续重价格(元)); a bad cell is a 400 naming its line and column */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "text/csv": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/waybill-accounts/{accountId}/rates/xlsx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload or replace the account’s rate table as the branch’s workbook (.xlsx, first sheet with rows; the CSV’s columns); a bad cell is a 400 naming its row and column */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            shopId: string;
                            warehouseCode: string | null;
                            carrier: string;
                            /** @enum {string} */
                            service: "cainiao" | "sf" | "pdd" | "jd" | "douyin";
                            name: string;
                            branchCode: string | null;
                            branchName: string | null;
                            monthlyAccount: string | null;
                            productType: string | null;
                            priority: number;
                            enabled: boolean;
                            balance: number | null;
                            balanceCheckedAt: string | null;
                            lowBalanceAt: number;
                            /** @enum {string} */
                            state: "ok" | "no_balance" | "authorisation_expired" | "account_not_configured";
                            stateReason: string | null;
                            rateTable: {
                                provinceCode: string;
                                province: string;
                                city?: string;
                                originProvinceCode?: string;
                                originProvince?: string;
                                firstWeightG: number;
                                firstFen: number;
                                additionalUnitG: number;
                                additionalFen: number;
                                bands?: {
                                    upToG: number;
                                    fen: number;
                                }[];
                                surchargeFen?: number;
                            }[] | null;
                            /** @enum {string} */
                            labelSize: "100x150" | "76x130";
                            hasCredentials: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/shops/{id}/translation-account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The shop’s own translation account for remarks (the key is never returned) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shopId: string;
                            /** @enum {string} */
                            provider: "baidu" | "tencent";
                            accountId: string;
                            hasCredentials: boolean;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        /** Set the shop’s own translation account (Baidu Translate or Tencent TMT); checked first */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        provider: "baidu" | "tencent";
                        accountId: string;
                        secretKey: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shopId: string;
                            /** @enum {string} */
                            provider: "baidu" | "tencent";
                            accountId: string;
                            hasCredentials: boolean;
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Remove the shop’s own translation account (the deployment’s services remain) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Return parcels, newest first: the one a scan names (return tracking number or case id), or by status; each with the lines to count and what inspection found */
        get: {
            parameters: {
                query?: {
                    scan?: string;
                    stage?: "expected" | "received";
                    shopId?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            returns: {
                                caseId: string;
                                orderId: string;
                                shopId: string;
                                kind: string;
                                caseStatus: string;
                                status: string;
                                carrierCode: string | null;
                                trackingNo: string | null;
                                source: string | null;
                                trackingStatus: string | null;
                                warehouse: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                receivedAt: string | null;
                                lines: {
                                    lineId: string;
                                    sku: string;
                                    title: string;
                                    quantity: number;
                                }[];
                                inspected: {
                                    lineId: string;
                                    sku: string;
                                    expected: number;
                                    restocked: number;
                                    writtenOff: number;
                                    held: number;
                                    notes: string | null;
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wms/returns/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Receive a return parcel: scan, count and inspect each line (resaleable, damaged, wrong item) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        warehouse: string;
                        scan: string;
                        lines: {
                            lineId: string;
                            qty: number;
                            /** @enum {string} */
                            condition: "resaleable" | "damaged" | "wrong_item";
                            reason?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            caseId: string;
                            duplicate: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with username and password; returns a session token
         * @description Answers 429 with `Retry-After` when this address sends too many sign-in requests, or while the account or the address is locked after repeated failed sign-ins (then even the right password is refused until the lock ends).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            expiresAt: string;
                            actor: {
                                id: string;
                                name: string;
                                roles: ("reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin")[];
                                shops: string[] | null;
                                /** @enum {string} */
                                via: "api_key" | "session";
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the current session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the credentials belong to, and the routes they may call
         * @description `may` lists "METHOD /path" for every route these roles may call (public routes left out): the web UI shows only these actions, and the API still checks each call.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            roles: ("reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin")[];
                            shops: string[] | null;
                            /** @enum {string} */
                            via: "api_key" | "session";
                            may: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users and their roles */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: {
                                id: string;
                                username: string;
                                displayName: string;
                                roles: string[];
                                shops: string[] | null;
                                disabled: boolean;
                                canLogIn: boolean;
                                createdBy: string;
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username: string;
                        displayName?: string;
                        password?: string;
                        roles: ("reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin")[];
                        shops?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            username: string;
                            displayName: string;
                            roles: string[];
                            shops: string[] | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API keys (never their secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: {
                                id: string;
                                name: string;
                                username: string;
                                roles: string[];
                                createdBy: string;
                                createdAt: string;
                                expiresAt: string | null;
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Issue an API key for a user; the key is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username: string;
                        name: string;
                        roles?: ("reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin")[];
                        expiresInDays?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            key: string;
                            username: string;
                            name: string;
                            roles: string[];
                            expiresAt: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List audit rules in evaluation order */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rules: {
                                id: string;
                                name: string;
                                description?: string;
                                /** @default 100 */
                                order: number;
                                /** @default true */
                                enabled: boolean;
                                when: components["schemas"]["Condition"];
                                action: {
                                    /** @enum {string} */
                                    type: "hold";
                                    reason: string;
                                    /** @enum {string} */
                                    clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                    /** @default 1 */
                                    stage: number;
                                    message?: string;
                                } | {
                                    /** @enum {string} */
                                    type: "flag";
                                    /** @enum {string} */
                                    flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                                };
                                version: number;
                                updatedBy: string;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a audit rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description?: string;
                        /** @default 100 */
                        order?: number;
                        /** @default true */
                        enabled?: boolean;
                        when: components["schemas"]["ConditionInput"];
                        action: {
                            /** @enum {string} */
                            type: "hold";
                            reason: string;
                            /** @enum {string} */
                            clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                            /** @default 1 */
                            stage?: number;
                            message?: string;
                        } | {
                            /** @enum {string} */
                            type: "flag";
                            /** @enum {string} */
                            flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /** @enum {string} */
                                clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                /** @default 1 */
                                stage: number;
                                message?: string;
                            } | {
                                /** @enum {string} */
                                type: "flag";
                                /** @enum {string} */
                                flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One audit rule */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /** @enum {string} */
                                clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                /** @default 1 */
                                stage: number;
                                message?: string;
                            } | {
                                /** @enum {string} */
                                type: "flag";
                                /** @enum {string} */
                                flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        /** Replace a audit rule */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id?: string;
                        name: string;
                        description?: string;
                        /** @default 100 */
                        order?: number;
                        /** @default true */
                        enabled?: boolean;
                        when: components["schemas"]["ConditionInput"];
                        action: {
                            /** @enum {string} */
                            type: "hold";
                            reason: string;
                            /** @enum {string} */
                            clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                            /** @default 1 */
                            stage?: number;
                            message?: string;
                        } | {
                            /** @enum {string} */
                            type: "flag";
                            /** @enum {string} */
                            flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                        };
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /** @enum {string} */
                                clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                /** @default 1 */
                                stage: number;
                                message?: string;
                            } | {
                                /** @enum {string} */
                                type: "flag";
                                /** @enum {string} */
                                flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit-rules/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a audit rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /** @enum {string} */
                                clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                /** @default 1 */
                                stage: number;
                                message?: string;
                            } | {
                                /** @enum {string} */
                                type: "flag";
                                /** @enum {string} */
                                flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit-rules/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a audit rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /** @enum {string} */
                                clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                /** @default 1 */
                                stage: number;
                                message?: string;
                            } | {
                                /** @enum {string} */
                                type: "flag";
                                /** @enum {string} */
                                flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit-rules/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Evaluate a draft audit rule set against the orders of the last N days, changing nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        days: number;
                        /** @default 5000 */
                        limit?: number;
                        /** @default 5 */
                        sampleSize?: number;
                        /** @default false */
                        includeOrders?: boolean;
                        rules?: {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order?: number;
                            /** @default true */
                            enabled?: boolean;
                            when: components["schemas"]["ConditionInput"];
                            action: {
                                /** @enum {string} */
                                type: "hold";
                                reason: string;
                                /** @enum {string} */
                                clearedBy: "reviewer" | "finance" | "customer-service" | "warehouse" | "ops" | "admin";
                                /** @default 1 */
                                stage?: number;
                                message?: string;
                            } | {
                                /** @enum {string} */
                                type: "flag";
                                /** @enum {string} */
                                flag: "urgent" | "gift" | "vip" | "fragile" | "cold_chain" | "custom_made" | "invoice" | "cross_border" | "large_order" | "remark";
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            window: {
                                days: number;
                                /** @description ISO 8601 date-time */
                                from: string;
                                /** @description ISO 8601 date-time */
                                to: string;
                            };
                            draft: boolean;
                            truncated: boolean;
                            notAudited: number;
                            skipped: {
                                orderId: string;
                                problem: string;
                            }[];
                            summary: {
                                evaluated: number;
                                held: number;
                                flagged: number;
                                passed: number;
                                byReason: {
                                    reason: string;
                                    clearedBy: string;
                                    stage: number;
                                    count: number;
                                    sampleOrderIds: string[];
                                }[];
                                byStage: {
                                    stage: number;
                                    count: number;
                                }[];
                                byFlag: {
                                    flag: string;
                                    count: number;
                                    sampleOrderIds: string[];
                                }[];
                                ruleProblems: {
                                    ruleId: string;
                                    outcome: string;
                                    detail: string;
                                }[];
                                orders?: {
                                    orderId: string;
                                    /** @description ISO 8601 date-time */
                                    auditedAt: string | null;
                                    holds: {
                                        reason: string;
                                        stage: number;
                                        clearedBy: string;
                                    }[];
                                    flags: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/blacklist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Blacklisted buyers, phones and addresses, newest first */
        get: {
            parameters: {
                query?: {
                    kind?: "buyer" | "phone" | "address";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: {
                                id: string;
                                kind: string;
                                value: string;
                                displayValue: string;
                                platform: string | null;
                                reason: string;
                                createdBy: string;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a buyer, phone or address to the blacklist */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "buyer" | "phone" | "address";
                        value: string;
                        /** @enum {string} */
                        platform?: "taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own";
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            kind: string;
                            value: string;
                            displayValue: string;
                            platform: string | null;
                            reason: string;
                            createdBy: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            created: boolean;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            kind: string;
                            value: string;
                            displayValue: string;
                            platform: string | null;
                            reason: string;
                            createdBy: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                            created: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/blacklist/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a blacklist entry */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routing-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List routing rules in evaluation order */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rules: {
                                id: string;
                                name: string;
                                description?: string;
                                /** @default 100 */
                                order: number;
                                /** @default true */
                                enabled: boolean;
                                when: components["schemas"]["Condition"];
                                action: {
                                    group?: string;
                                    priority?: number;
                                };
                                version: number;
                                updatedBy: string;
                                /** @description ISO 8601 date-time */
                                updatedAt: string;
                                /** @description ISO 8601 date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a routing rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        description?: string;
                        /** @default 100 */
                        order?: number;
                        /** @default true */
                        enabled?: boolean;
                        when: components["schemas"]["ConditionInput"];
                        action: {
                            group?: string;
                            priority?: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                group?: string;
                                priority?: number;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routing-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One routing rule */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                group?: string;
                                priority?: number;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        /** Replace a routing rule */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id?: string;
                        name: string;
                        description?: string;
                        /** @default 100 */
                        order?: number;
                        /** @default true */
                        enabled?: boolean;
                        when: components["schemas"]["ConditionInput"];
                        action: {
                            group?: string;
                            priority?: number;
                        };
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                group?: string;
                                priority?: number;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routing-rules/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a routing rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                group?: string;
                                priority?: number;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routing-rules/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a routing rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order: number;
                            /** @default true */
                            enabled: boolean;
                            when: components["schemas"]["Condition"];
                            action: {
                                group?: string;
                                priority?: number;
                            };
                            version: number;
                            updatedBy: string;
                            /** @description ISO 8601 date-time */
                            updatedAt: string;
                            /** @description ISO 8601 date-time */
                            createdAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/routing-rules/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Evaluate a draft routing rule set against the orders of the last N days, changing nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        days: number;
                        /** @default 5000 */
                        limit?: number;
                        /** @default 5 */
                        sampleSize?: number;
                        /** @default false */
                        includeOrders?: boolean;
                        rules?: {
                            id: string;
                            name: string;
                            description?: string;
                            /** @default 100 */
                            order?: number;
                            /** @default true */
                            enabled?: boolean;
                            when: components["schemas"]["ConditionInput"];
                            action: {
                                group?: string;
                                priority?: number;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            window: {
                                days: number;
                                /** @description ISO 8601 date-time */
                                from: string;
                                /** @description ISO 8601 date-time */
                                to: string;
                            };
                            draft: boolean;
                            truncated: boolean;
                            notAudited: number;
                            skipped: {
                                orderId: string;
                                problem: string;
                            }[];
                            summary: {
                                evaluated: number;
                                byGroup: {
                                    group: string;
                                    count: number;
                                    averagePriority: number;
                                    sampleOrderIds: string[];
                                }[];
                                ruleProblems: {
                                    ruleId: string;
                                    outcome: string;
                                    detail: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/decode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Temporal payload codec: decrypt payloads for Temporal Web and the CLI */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        payloads: {
                            metadata?: {
                                [key: string]: string;
                            };
                            data?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            payloads: {
                                metadata?: {
                                    [key: string]: string;
                                };
                                data?: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/encode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Temporal payload codec: encrypt payloads (Temporal Web encodes signal inputs here) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        payloads: {
                            metadata?: {
                                [key: string]: string;
                            };
                            data?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            payloads: {
                                metadata?: {
                                    [key: string]: string;
                                };
                                data?: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Let this browser use the codec from Temporal Web
         * @description Sets an HttpOnly cookie, sent only to /codec/, holding the credentials of this request, so Temporal Web (with "include cross-origin credentials") can decode histories.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ConditionInput: {
            /** @enum {string} */
            type: "amount";
            /**
             * @default paid
             * @enum {string}
             */
            basis: "paid" | "due" | "goods";
            minFen?: number;
            maxFen?: number;
        } | {
            /** @enum {string} */
            type: "remark_present";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
        } | {
            /** @enum {string} */
            type: "remark_keywords";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
            keywords: string[];
        } | {
            /** @enum {string} */
            type: "remark_intent";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
            intents: ("urgent" | "no_rush" | "gift" | "gift_wrap" | "no_price_slip" | "invoice" | "no_invoice" | "carrier" | "call_before_delivery" | "no_call" | "leave_at_door" | "leave_with_guard" | "parcel_locker" | "weekend_delivery" | "workday_delivery" | "change_address" | "custom_made" | "freebie" | "fragile_care")[];
        } | {
            /** @enum {string} */
            type: "remark_needs_review";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
        } | {
            /** @enum {string} */
            type: "blacklisted";
            kinds?: ("buyer" | "phone" | "address")[];
        } | {
            /** @enum {string} */
            type: "address_invalid";
            fields?: ("name" | "phone" | "country" | "province" | "city" | "district" | "detail" | "postalCode")[];
            problems?: ("missing" | "unknown" | "format" | "too_short")[];
        } | {
            /** @enum {string} */
            type: "sku_flag";
            flags: string[];
        } | {
            /** @enum {string} */
            type: "platform";
            in: ("taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own")[];
        } | {
            /** @enum {string} */
            type: "shop";
            in: string[];
        } | {
            /** @enum {string} */
            type: "order_type";
            in: ("normal" | "presale" | "group_buy" | "livestream")[];
        } | {
            /** @enum {string} */
            type: "quantity";
            /**
             * @default total
             * @enum {string}
             */
            scope: "total" | "line" | "lines";
            min?: number;
            max?: number;
        } | {
            /** @enum {string} */
            type: "payment_age";
            minSeconds?: number;
            maxSeconds?: number;
        } | {
            /** @enum {string} */
            type: "country";
            in: string[];
        } | {
            /** @enum {string} */
            type: "all";
            conditions: components["schemas"]["ConditionInput"][];
        } | {
            /** @enum {string} */
            type: "any";
            conditions: components["schemas"]["ConditionInput"][];
        } | {
            /** @enum {string} */
            type: "not";
            condition: components["schemas"]["ConditionInput"];
        };
        AfterSaleConditionInput: {
            /** @enum {string} */
            type: "kind";
            kinds: ("refund_only" | "return_refund" | "exchange" | "reship" | "price_difference")[];
        } | {
            /** @enum {string} */
            type: "shipped";
            shipped: boolean;
        } | {
            /** @enum {string} */
            type: "amount";
            minFen?: number;
            maxFen?: number;
        } | {
            /** @enum {string} */
            type: "inspection";
            results: ("resaleable" | "damaged" | "wrong_item" | "mixed")[];
        } | {
            /** @enum {string} */
            type: "reason_keywords";
            keywords: string[];
        } | {
            /** @enum {string} */
            type: "buyer_cases";
            minCount: number;
            /** @default 30 */
            days: number;
        } | {
            /** @enum {string} */
            type: "blacklisted";
        } | {
            /** @enum {string} */
            type: "platform";
            platforms: ("taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own")[];
        } | {
            /** @enum {string} */
            type: "shop";
            shopIds: string[];
        } | {
            /** @enum {string} */
            type: "all";
            conditions: components["schemas"]["AfterSaleConditionInput"][];
        } | {
            /** @enum {string} */
            type: "any";
            conditions: components["schemas"]["AfterSaleConditionInput"][];
        } | {
            /** @enum {string} */
            type: "not";
            condition: components["schemas"]["AfterSaleConditionInput"];
        };
        Condition: {
            /** @enum {string} */
            type: "amount";
            /**
             * @default paid
             * @enum {string}
             */
            basis: "paid" | "due" | "goods";
            minFen?: number;
            maxFen?: number;
        } | {
            /** @enum {string} */
            type: "remark_present";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
        } | {
            /** @enum {string} */
            type: "remark_keywords";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
            keywords: string[];
        } | {
            /** @enum {string} */
            type: "remark_intent";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
            intents: ("urgent" | "no_rush" | "gift" | "gift_wrap" | "no_price_slip" | "invoice" | "no_invoice" | "carrier" | "call_before_delivery" | "no_call" | "leave_at_door" | "leave_with_guard" | "parcel_locker" | "weekend_delivery" | "workday_delivery" | "change_address" | "custom_made" | "freebie" | "fragile_care")[];
        } | {
            /** @enum {string} */
            type: "remark_needs_review";
            /**
             * @default buyer_remark
             * @enum {string}
             */
            field: "buyer_remark" | "seller_memo";
        } | {
            /** @enum {string} */
            type: "blacklisted";
            kinds?: ("buyer" | "phone" | "address")[];
        } | {
            /** @enum {string} */
            type: "address_invalid";
            fields?: ("name" | "phone" | "country" | "province" | "city" | "district" | "detail" | "postalCode")[];
            problems?: ("missing" | "unknown" | "format" | "too_short")[];
        } | {
            /** @enum {string} */
            type: "sku_flag";
            flags: string[];
        } | {
            /** @enum {string} */
            type: "platform";
            in: ("taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own")[];
        } | {
            /** @enum {string} */
            type: "shop";
            in: string[];
        } | {
            /** @enum {string} */
            type: "order_type";
            in: ("normal" | "presale" | "group_buy" | "livestream")[];
        } | {
            /** @enum {string} */
            type: "quantity";
            /**
             * @default total
             * @enum {string}
             */
            scope: "total" | "line" | "lines";
            min?: number;
            max?: number;
        } | {
            /** @enum {string} */
            type: "payment_age";
            minSeconds?: number;
            maxSeconds?: number;
        } | {
            /** @enum {string} */
            type: "country";
            in: string[];
        } | {
            /** @enum {string} */
            type: "all";
            conditions: components["schemas"]["Condition"][];
        } | {
            /** @enum {string} */
            type: "any";
            conditions: components["schemas"]["Condition"][];
        } | {
            /** @enum {string} */
            type: "not";
            condition: components["schemas"]["Condition"];
        };
        AfterSaleCondition: {
            /** @enum {string} */
            type: "kind";
            kinds: ("refund_only" | "return_refund" | "exchange" | "reship" | "price_difference")[];
        } | {
            /** @enum {string} */
            type: "shipped";
            shipped: boolean;
        } | {
            /** @enum {string} */
            type: "amount";
            minFen?: number;
            maxFen?: number;
        } | {
            /** @enum {string} */
            type: "inspection";
            results: ("resaleable" | "damaged" | "wrong_item" | "mixed")[];
        } | {
            /** @enum {string} */
            type: "reason_keywords";
            keywords: string[];
        } | {
            /** @enum {string} */
            type: "buyer_cases";
            minCount: number;
            /** @default 30 */
            days: number;
        } | {
            /** @enum {string} */
            type: "blacklisted";
        } | {
            /** @enum {string} */
            type: "platform";
            platforms: ("taobao" | "tmall" | "jd" | "pdd" | "douyin" | "shopee" | "amazon" | "shopify" | "woocommerce" | "kuaishou" | "lazada" | "tiktok" | "xiaohongshu" | "wechat_shop" | "ebay" | "walmart" | "mercadolibre" | "youzan" | "aliexpress" | "weidian" | "alibaba_1688" | "temu" | "dewu" | "vip" | "own")[];
        } | {
            /** @enum {string} */
            type: "shop";
            shopIds: string[];
        } | {
            /** @enum {string} */
            type: "all";
            conditions: components["schemas"]["AfterSaleCondition"][];
        } | {
            /** @enum {string} */
            type: "any";
            conditions: components["schemas"]["AfterSaleCondition"][];
        } | {
            /** @enum {string} */
            type: "not";
            condition: components["schemas"]["AfterSaleCondition"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
