package io.reelbox.local.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

import com.sun.net.httpserver.HttpExchange;

/**
 * Commons FileUpload's streaming API over a JDK {@link HttpExchange}: parts are read one at a time straight from
 * the socket, so a 500 MB upload never sits in memory.
 */
final class MultipartReader extends AbstractFileUpload<HttpExchange, DiskFileItem, DiskFileItemFactory> {

    static RequestContext context(HttpExchange ex) {
        return new RequestContext() {
            @Override
            public String getCharacterEncoding() {
                return "UTF-8";
            }

            @Override
            public long getContentLength() {
                String len = ex.getRequestHeaders().getFirst("Content-Length");
                return len == null ? -1 : Long.parseLong(len);
            }

            @Override
            public String getContentType() {
                return ex.getRequestHeaders().getFirst("Content-Type");
            }

            @Override
            public InputStream getInputStream() {
                return ex.getRequestBody();
            }

            @Override
            public boolean isMultipartRelated() {
                return false;
            }
        };
    }

    @Override
    public FileItemInputIterator getItemIterator(HttpExchange ex) throws FileUploadException, IOException {
        return getItemIterator(context(ex));
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(HttpExchange ex) throws FileUploadException {
        throw new UnsupportedOperationException("streaming only");
    }

    @Override
    public List<DiskFileItem> parseRequest(HttpExchange ex) throws FileUploadException {
        throw new UnsupportedOperationException("streaming only");
    }
}
