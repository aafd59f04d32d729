export declare const EMPTY_STYLE_HASH: string;
export declare const CONTENT_SECURITY_POLICY: string;
