package org.bwledger.projector.rest;

/** A request the API answers with an error: the HTTP status and what to tell the caller. */
final class ApiError extends RuntimeException {

  private final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  static ApiError badParameter(String parameter, String value, String why) {
    return new ApiError(400, "parameter '" + parameter + "': '" + value + "' " + why);
  }
}
